package dev.modelship.controller.image;

import java.util.List;

/**
 * The operating system and CPU architecture an image is built for. Only those the serving runtime's native ONNX
 * Runtime libraries exist for are accepted.
 */
public record ImagePlatform(String os, String architecture) {
  public static final ImagePlatform LINUX_AMD64 = new ImagePlatform("linux", "amd64");
  public static final ImagePlatform LINUX_ARM64 = new ImagePlatform("linux", "arm64");
  public static final List<ImagePlatform> SUPPORTED = List.of(LINUX_AMD64, LINUX_ARM64);

  public ImagePlatform {
    if (!List.of("linux/amd64", "linux/arm64").contains(os + "/" + architecture)) {
      throw new IllegalArgumentException("platform " + os + "/" + architecture + " is not supported: the ONNX Runtime "
          + "in the serving image runs on " + String.join(", ", SUPPORTED.stream().map(ImagePlatform::toString)
          .toList()));
    }
  }

  /** Parses {@code os/architecture}, e.g. {@code linux/amd64}. */
  public static ImagePlatform parse(String text) {
    String[] parts = text.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("'" + text + "' is not a platform: write OS/ARCHITECTURE, e.g. linux/amd64");
    }
    return new ImagePlatform(parts[0], parts[1]);
  }

  @Override
  public String toString() {
    return os + "/" + architecture;
  }
}
