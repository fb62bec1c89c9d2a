package dev.modelship.controller.registry;

import java.time.Instant;
import java.util.Map;

/**
 * A version as a registry holds it.
 *
 * @param digest {@code sha256:<hex>} of the package (see {@link ModelPackage#digest()})
 * @param files file name to {@code sha256:<hex>} of that file
 */
public record PublishedVersion(ModelVersionRef ref, String digest, Map<String, String> files, Instant publishedAt) {
  public PublishedVersion {
    files = Map.copyOf(files);
  }
}
