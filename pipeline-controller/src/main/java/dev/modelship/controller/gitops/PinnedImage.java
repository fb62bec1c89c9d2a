package dev.modelship.controller.gitops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image pinned by digest, {@code registry/repository[:tag]@sha256:<64 hex>}, as a release writes it into
 * an overlay. The tag is informative only: with a digest, the cluster pulls exactly that manifest.
 *
 * @param repository registry host (with port) and path, e.g. {@code 127.0.0.1:5000/models/serving}
 * @param tag the tag, or null
 * @param digest {@code sha256:} and 64 lowercase hex digits
 */
public record PinnedImage(String repository, String tag, String digest) {
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(
      "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?/)?" + COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern REFERENCE = Pattern.compile("(?<name>[^@]+?)(?::(?<tag>[^:/@]+))?@(?<digest>.+)");

  public PinnedImage {
    if (repository == null || !REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("'" + repository + "' is not an image repository (host[:port]/path, "
          + "lowercase path)");
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("'" + tag + "' is not an image tag");
    }
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("'" + digest + "' is not an image digest (sha256: and 64 lowercase hex "
          + "digits)");
    }
  }

  /** Parses {@code REPOSITORY[:TAG]@sha256:HEX}; an image without a digest is refused, a release must be exact. */
  public static PinnedImage parse(String reference) {
    Matcher matcher = REFERENCE.matcher(reference == null ? "" : reference.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + reference + "' is not an image pinned by digest "
          + "(REPOSITORY[:TAG]@sha256:<64 hex>)");
    }
    return new PinnedImage(matcher.group("name"), matcher.group("tag"), matcher.group("digest"));
  }

  /** The reference as the cluster pulls it: {@code repository[:tag]@digest}. */
  public String reference() {
    return repository + (tag == null ? "" : ":" + tag) + "@" + digest;
  }

  @Override
  public String toString() {
    return reference();
  }
}
