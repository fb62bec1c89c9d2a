package dev.modelship.controller.registry.oci;

import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fetch's files land in a hidden folder next to the target and move into place only once all of them are
 * verified, so a failed fetch leaves the target as it found it (absent or empty) and nothing else behind.
 */
final class FetchStaging implements AutoCloseable {
  private final Path target;
  private final Path staging;
  private final Path firstCreatedParent;
  private boolean committed;

  private FetchStaging(Path target, Path staging, Path firstCreatedParent) {
    this.target = target;
    this.staging = staging;
    this.firstCreatedParent = firstCreatedParent;
  }

  /** Checks that {@code target} is absent or an empty folder, and opens a staging folder beside it. */
  static FetchStaging open(Path target) throws RegistryException {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !isEmptyFolder(absolute)) {
      throw new RegistryException(Kind.INVALID, "cannot fetch into " + target + ": it exists and is not an empty "
          + "folder");
    }
    Path parent = absolute.getParent();
    Path firstCreated = null;
    for (Path folder = parent; folder != null && !Files.exists(folder); folder = folder.getParent()) {
      firstCreated = folder;
    }
    try {
      Files.createDirectories(parent);
      Path staging = parent.resolve("." + absolute.getFileName() + ".fetching-" + UUID.randomUUID());
      Files.createDirectory(staging);
      return new FetchStaging(absolute, staging, firstCreated);
    } catch (IOException e) {
      removeCreatedParents(absolute, firstCreated);
      throw new RegistryException(Kind.INVALID, "cannot prepare a fetch into " + target + ": " + e.getMessage(), e);
    }
  }

  Path folder() {
    return staging;
  }

  /** Moves the staged files into the target; after this the staging folder is gone. */
  Path commit() throws RegistryException {
    List<Path> moved = new ArrayList<>();
    try {
      if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } else {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
          for (Path file : files) {
            Path destination = target.resolve(file.getFileName().toString());
            Files.move(file, destination, StandardCopyOption.ATOMIC_MOVE);
            moved.add(destination);
          }
        }
        Files.delete(staging);
      }
      committed = true;
      return target;
    } catch (IOException e) {
      moved.forEach(FetchStaging::deleteQuietly);
      throw new RegistryException(Kind.INVALID, "cannot move the fetched files into " + target + ": "
          + e.getMessage(), e);
    }
  }

  /** Removes whatever a failed fetch left: the staging folder and any parent folders it created. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
        files.forEach(FetchStaging::deleteQuietly);
      } catch (IOException e) {
        // best effort: the folder is hidden and named as a leftover of a fetch
      }
      deleteQuietly(staging);
    }
    removeCreatedParents(target, firstCreatedParent);
  }

  private static void removeCreatedParents(Path target, Path firstCreated) {
    if (firstCreated == null) {
      return;
    }
    for (Path folder = target.getParent(); folder != null && folder.startsWith(firstCreated);
        folder = folder.getParent()) {
      deleteQuietly(folder);
    }
  }

  private static boolean isEmptyFolder(Path folder) throws RegistryException {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      return !entries.iterator().hasNext();
    } catch (IOException e) {
      throw new RegistryException(Kind.INVALID, "cannot read " + folder + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // best effort cleanup after a failure that is reported on its own
    }
  }
}
