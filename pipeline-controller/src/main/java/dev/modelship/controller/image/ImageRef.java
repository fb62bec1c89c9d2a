package dev.modelship.controller.image;

import java.util.Objects;

/**
 * A built serving image: where it is, the tag it was given and its manifest digest. Images are deployed by digest
 * ({@link #pinned()}), never by tag; the tag is for people.
 *
 * @param name the repository as a pull reference would spell it ({@code registry.example.com/serving}), or
 *     {@code oci-archive:PATH} for an image written to an archive
 * @param tag {@code <model>-<version>}
 * @param digest {@code sha256:<hex>} of the image manifest
 */
public record ImageRef(String name, String tag, String digest) {
  public ImageRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
    if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("an image digest is sha256:<64 hex digits>, got " + digest);
    }
  }

  /** {@code name@digest}: what a release deploys. */
  public String pinned() {
    return name + "@" + digest;
  }

  /** {@code name:tag}. */
  public String tagged() {
    return name + ":" + tag;
  }

  @Override
  public String toString() {
    return tagged() + " (" + digest + ")";
  }
}
