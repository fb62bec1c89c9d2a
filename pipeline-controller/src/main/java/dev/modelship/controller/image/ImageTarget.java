package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.nio.file.Path;

/** Where a built image goes: a repository in a registry, or an OCI image layout archive on disk. */
public sealed interface ImageTarget {
  String OCI_ARCHIVE_PREFIX = "oci-archive:";

  /**
   * Parses {@code --to}: {@code oci-archive:PATH}, or a repository such as {@code 127.0.0.1:5000/serving} or
   * {@code ghcr.io/team/serving}. The tag is always {@code <model>-<version>}, so a repository that already names a
   * tag or digest is refused rather than silently retagged.
   */
  static ImageTarget parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the image target is empty: give a repository (registry/repo) or "
          + OCI_ARCHIVE_PREFIX + "PATH");
    }
    if (text.startsWith(OCI_ARCHIVE_PREFIX)) {
      String path = text.substring(OCI_ARCHIVE_PREFIX.length());
      if (path.isBlank()) {
        throw new IllegalArgumentException("'" + text + "' names no file: write " + OCI_ARCHIVE_PREFIX + "PATH");
      }
      return new OciArchive(Path.of(path).toAbsolutePath().normalize());
    }
    ImageReference reference;
    try {
      reference = ImageReference.parse(text);
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("'" + text + "' is not an image repository (e.g. 127.0.0.1:5000/serving, "
          + "ghcr.io/team/serving) nor " + OCI_ARCHIVE_PREFIX + "PATH");
    }
    String lastSegment = text.substring(text.lastIndexOf('/') + 1);
    if (text.contains("@") || lastSegment.contains(":")) {
      throw new IllegalArgumentException("'" + text + "' names a tag or digest; give the repository only: the "
          + "tag is <model>-<version> (add more with --tag)");
    }
    return new Repository(reference.getRegistry(), reference.getRepository());
  }

  /** What an {@link ImageRef} calls this target. */
  String name();

  /** Host and port of the registry, or null for an archive. */
  String registry();

  /**
   * A repository in a registry.
   *
   * @param registry {@code host[:port]}
   * @param repository the path in the registry, e.g. {@code team/serving}
   */
  record Repository(String registry, String repository) implements ImageTarget {
    /** As a pull reference would spell it (Docker Hub's registry and {@code library/} left out). */
    @Override
    public String name() {
      return ImageReference.of(registry, repository, null).toString();
    }

    ImageReference withTag(String tag) {
      return ImageReference.of(registry, repository, tag);
    }
  }

  /** An OCI image layout in a tar file, written whole or not at all. */
  record OciArchive(Path file) implements ImageTarget {
    @Override
    public String name() {
      return OCI_ARCHIVE_PREFIX + file;
    }

    @Override
    public String registry() {
      return null;
    }
  }
}
