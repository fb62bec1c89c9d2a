package dev.modelship.controller.registry;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Opening a registry from its location, and the rules for numbering the versions published into one. */
public final class ModelRegistries {
  /** How often a publish under the next free version is retried when another publisher took that number first. */
  static final int NEXT_VERSION_ATTEMPTS = 10;

  private ModelRegistries() {
  }

  /**
   * Opens the registry at {@code location} (see {@link RegistryLocation#parse}): a folder becomes a
   * {@link FileSystemModelRegistry}; an {@code oci://} location is handed to {@code ociBackend}.
   *
   * @param ociBackend opens OCI registries; null where this program has none, which makes an {@code oci://}
   *     location a configuration error
   * @throws RegistryException {@link RegistryException.Kind#INVALID} when the location cannot be used
   */
  public static ModelRegistry open(String location, RegistryOptions options,
                                   Function<RegistryLocation, ModelRegistry> ociBackend) throws RegistryException {
    RegistryLocation parsed;
    try {
      parsed = RegistryLocation.parse(location);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, e.getMessage(), e);
    }
    return switch (parsed.scheme()) {
      case FILE -> new FileSystemModelRegistry(parsed.path().toAbsolutePath().normalize());
      case OCI -> {
        if (ociBackend == null) {
          throw new RegistryException(RegistryException.Kind.INVALID, "registry location '" + parsed
              + "' is an OCI registry, which this program cannot open (no OCI backend is configured)");
        }
        yield ociBackend.apply(parsed);
      }
    };
  }

  /** The version a new package of {@code name} gets: one above the highest published, 1 for a new model. */
  public static long nextVersion(ModelRegistry registry, String name) throws RegistryException {
    List<PublishedVersion> versions = registry.versions(name);
    return versions.stream().mapToLong(version -> version.ref().version()).max().orElse(0) + 1;
  }

  /**
   * Publishes {@code pkg} as the next version of {@code name}. Publishing the content of the newest version again
   * is a no-op that returns that version, so a retried push does not make a second copy. When another publisher
   * takes the chosen number first, the next free number is tried.
   */
  public static ModelRegistry.PublishOutcome publishAsNextVersion(ModelRegistry registry, String name,
                                                                  ModelPackage pkg) throws RegistryException {
    String digest = pkg.digest();
    RegistryException lastConflict = null;
    for (int attempt = 0; attempt < NEXT_VERSION_ATTEMPTS; attempt++) {
      Optional<PublishedVersion> newest = registry.versions(name).stream()
          .max((a, b) -> Long.compare(a.ref().version(), b.ref().version()));
      if (newest.isPresent() && newest.get().digest().equals(digest)) {
        return new ModelRegistry.PublishOutcome(newest.get(), false);
      }
      long next = newest.map(version -> version.ref().version() + 1).orElse(1L);
      try {
        return registry.publish(new ModelVersionRef(name, next), pkg);
      } catch (RegistryException e) {
        if (e.kind() != RegistryException.Kind.CONFLICT) {
          throw e;
        }
        lastConflict = e;
      }
    }
    throw new RegistryException(RegistryException.Kind.CONFLICT, "could not find a free version of '" + name
        + "' in " + NEXT_VERSION_ATTEMPTS + " attempts: other publishers kept taking the next number (last: "
        + lastConflict.getMessage() + ")", lastConflict);
  }
}
