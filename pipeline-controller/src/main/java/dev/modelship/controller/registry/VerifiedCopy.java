package dev.modelship.controller.registry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Copies a stored version's files out of a {@link FileSystemModelRegistry} and checks each against the digest that
 * was recorded when it was published. On any failure the target folder is left as it was found (absent or empty).
 */
final class VerifiedCopy {
  private final PublishedVersion version;
  private final Path source;
  private final Path target;

  VerifiedCopy(PublishedVersion version, Path source, Path target) {
    this.version = version;
    this.source = source;
    this.target = target;
  }

  ModelPackage run() throws RegistryException {
    boolean created = prepareTarget();
    try {
      for (Map.Entry<String, String> file : version.files().entrySet()) {
        copyOne(file.getKey(), file.getValue());
      }
      return ModelPackage.fromDirectory(target);
    } catch (IOException e) {
      RegistryException failure = new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot fetch "
          + version.ref() + " into " + target + ": " + e, e);
      restoreTarget(created, failure);
      throw failure;
    } catch (RegistryException e) {
      restoreTarget(created, e);
      throw e;
    }
  }

  private void copyOne(String name, String expectedDigest) throws IOException, RegistryException {
    if (!ModelPackage.FILE_NAMES.contains(name)) {
      throw damaged("its record lists '" + name + "', which is not a package file");
    }
    String copied;
    try {
      copied = DurableFiles.copyAndForce(source.resolve(name), target.resolve(name));
    } catch (NoSuchFileException e) {
      throw damaged(name + " is missing");
    }
    if (!copied.equals(expectedDigest)) {
      throw damaged(name + " has digest " + copied + " but was published with " + expectedDigest);
    }
  }

  /** Returns whether the folder was created here (and so is removed again on failure). */
  private boolean prepareTarget() throws RegistryException {
    try {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
          if (entries.iterator().hasNext()) {
            throw new RegistryException(RegistryException.Kind.INVALID, "cannot fetch " + version.ref() + " into "
                + target + ": the folder is not empty");
          }
        }
        return false;
      }
      Files.createDirectories(target);
      return true;
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot fetch " + version.ref() + " into "
          + target + ": " + e, e);
    }
  }

  private void restoreTarget(boolean created, Exception failure) {
    if (created) {
      DurableFiles.deleteTreeAfterFailure(target, failure);
      return;
    }
    for (String name : ModelPackage.FILE_NAMES) {
      try {
        Files.deleteIfExists(target.resolve(name));
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private RegistryException damaged(String problem) {
    return new RegistryException(RegistryException.Kind.INVALID, "registry entry " + version.ref() + " in "
        + source + " is damaged: " + problem);
  }
}
