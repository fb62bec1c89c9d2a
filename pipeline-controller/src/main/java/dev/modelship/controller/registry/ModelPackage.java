package dev.modelship.controller.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A model version's files in a local folder: {@code model.onnx} and {@code modelship.yaml}, optionally
 * {@code holdout.csv}. Nothing else is allowed in, and nothing is followed out (no links), so a package can be
 * published, copied and unpacked without surprises. Its identity is {@link #digest()}.
 */
public final class ModelPackage {
  public static final String MODEL_FILE = "model.onnx";
  public static final String MANIFEST_FILE = "modelship.yaml";
  public static final String HOLDOUT_FILE = "holdout.csv";
  public static final List<String> FILE_NAMES = List.of(MODEL_FILE, MANIFEST_FILE, HOLDOUT_FILE);

  private final Path directory;
  private final Map<String, String> fileDigests;

  private ModelPackage(Path directory, Map<String, String> fileDigests) {
    this.directory = directory;
    this.fileDigests = Collections.unmodifiableMap(fileDigests);
  }

  /** Reads and checks a package folder: the two required files present, no other entries, no links. */
  public static ModelPackage fromDirectory(Path directory) throws RegistryException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      throw new RegistryException(RegistryException.Kind.INVALID, directory + " is not a folder");
    }
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (!FILE_NAMES.contains(name)) {
          throw new RegistryException(RegistryException.Kind.INVALID, "unexpected entry '" + name + "' in "
              + directory + " (a model package holds only " + String.join(", ", FILE_NAMES) + ")");
        }
        if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          throw new RegistryException(RegistryException.Kind.INVALID, entry + " must be a regular file, not a link "
              + "or folder");
        }
        digests.put(name, sha256(entry));
      }
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot read " + directory + ": " + e.getMessage(), e);
    }
    for (String required : List.of(MODEL_FILE, MANIFEST_FILE)) {
      if (!digests.containsKey(required)) {
        throw new RegistryException(RegistryException.Kind.INVALID, directory + " has no " + required);
      }
    }
    return new ModelPackage(directory, digests);
  }

  public Path directory() {
    return directory;
  }

  public Path file(String name) {
    return directory.resolve(name);
  }

  public Path modelFile() {
    return file(MODEL_FILE);
  }

  public Path manifestFile() {
    return file(MANIFEST_FILE);
  }

  public boolean hasHoldout() {
    return fileDigests.containsKey(HOLDOUT_FILE);
  }

  /** File name to {@code sha256:<hex>}, sorted by name. */
  public Map<String, String> fileDigests() {
    return fileDigests;
  }

  /**
   * {@code sha256:<hex>} over the sorted lines {@code <name> <sha256 of the file>}: the same files give the same
   * digest wherever they are stored.
   */
  public String digest() {
    return digestOf(fileDigests);
  }

  public static String digestOf(Map<String, String> fileDigests) {
    StringBuilder listing = new StringBuilder();
    new TreeMap<>(fileDigests).forEach((name, digest) -> listing.append(name).append(' ').append(digest).append('\n'));
    return "sha256:" + HexFormat.of().formatHex(sha().digest(listing.toString().getBytes(
        java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** {@code sha256:<hex>} of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    MessageDigest sha = sha();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, read);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return directory + " (" + digest() + ")";
  }
}
