package dev.modelship.controller.pipeline.stages;

import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Model packages the stages work on, fetched from the registry into a cache folder once and checked against the
 * registry's digest every time they are used, so a damaged or stale copy is fetched again rather than built.
 */
public final class Packages {
  private final ModelRegistry registry;
  private final Path cache;

  public Packages(ModelRegistry registry, Path cache) {
    this.registry = registry;
    this.cache = cache;
  }

  public ModelRegistry registry() {
    return registry;
  }

  public PublishedVersion published(ModelVersionRef ref) throws RegistryException {
    return registry.find(ref).orElseThrow(() -> new RegistryException(RegistryException.Kind.NOT_FOUND,
        ref + " is not in " + registry.location()));
  }

  public synchronized ModelPackage fetch(ModelVersionRef ref) throws RegistryException {
    PublishedVersion published = published(ref);
    Path folder = cache.resolve(ref.name()).resolve(ref.versionText());
    if (Files.isDirectory(folder)) {
      try {
        ModelPackage pkg = ModelPackage.fromDirectory(folder);
        if (pkg.digest().equals(published.digest())) {
          return pkg;
        }
      } catch (RegistryException unusable) {
        // fetched again below
      }
      delete(folder);
    }
    return registry.fetch(ref, folder);
  }

  private static void delete(Path folder) throws RegistryException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot clear the package cache " + folder + ": "
          + e.getMessage(), e);
    }
  }
}
