package dev.modelship.controller.image;

import java.util.Map;

/**
 * Which base image a build starts from: {@code --base}, else the configured default for CPU or GPU images. A GPU
 * image needs CUDA 12 and cuDNN 9 (what ONNX Runtime 1.23.2's CUDA provider links against) plus a Java 17 runtime;
 * no public image has all three, so there is no built-in GPU default: docs/image.md shows how to make one.
 */
public final class BaseImages {
  public static final String CPU_ENV = "MODELSHIP_BASE_IMAGE";
  public static final String GPU_ENV = "MODELSHIP_GPU_BASE_IMAGE";
  /** Eclipse Temurin's Java 17 JRE on Ubuntu: multi-arch (amd64, arm64), glibc, which ONNX Runtime needs. */
  public static final String DEFAULT_CPU = "eclipse-temurin:17-jre";

  private final String cpuDefault;
  private final String gpuDefault;

  public BaseImages(String cpuDefault, String gpuDefault) {
    this.cpuDefault = cpuDefault == null || cpuDefault.isBlank() ? DEFAULT_CPU : cpuDefault;
    this.gpuDefault = gpuDefault == null || gpuDefault.isBlank() ? null : gpuDefault;
  }

  public static BaseImages fromEnvironment(Map<String, String> env) {
    return new BaseImages(env.get(CPU_ENV), env.get(GPU_ENV));
  }

  /**
   * The base for a build, after checking that the runtime's ONNX Runtime build fits the kind of image asked for.
   *
   * @param requested {@code --base}, or null
   */
  public String choose(String requested, boolean gpu, ImagePlatform platform, RuntimeDistribution.OrtBuild ort,
                       String runtimeDirectory) throws ImageBuildException {
    if (gpu && ort != RuntimeDistribution.OrtBuild.GPU) {
      throw invalid("--gpu needs the serving runtime built with -Pgpu (onnxruntime_gpu): the one in "
          + runtimeDirectory + " carries the CPU ONNX Runtime. Run mvn -Pgpu -DskipTests package, or point "
          + RuntimeDistribution.DIR_ENV + " at a GPU build");
    }
    if (!gpu && ort == RuntimeDistribution.OrtBuild.GPU) {
      throw invalid("the serving runtime in " + runtimeDirectory + " is the GPU build (onnxruntime_gpu): build with "
          + "--gpu on a CUDA base, or use a CPU build of the runtime for a CPU image");
    }
    if (gpu && !platform.equals(ImagePlatform.LINUX_AMD64)) {
      throw invalid("--gpu images are linux/amd64 only: ONNX Runtime's CUDA build has no " + platform + " library");
    }
    if (requested != null && !requested.isBlank()) {
      return requested;
    }
    if (!gpu) {
      return cpuDefault;
    }
    if (gpuDefault == null) {
      throw invalid("--gpu needs a base image with CUDA 12, cuDNN 9 and Java 17: give --base IMAGE or set " + GPU_ENV
          + " (docs/image.md shows how to make one from nvidia/cuda:12.x-cudnn-runtime)");
    }
    return gpuDefault;
  }

  private static ImageBuildException invalid(String message) {
    return new ImageBuildException(ImageBuildException.Kind.INVALID, message);
  }
}
