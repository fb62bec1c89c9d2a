package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;

/** Where {@code validate NAME:VERSION} gets a version's files: in practice, a registry's fetch into a folder. */
@FunctionalInterface
public interface PackageSource {
  ModelPackage fetch(ModelVersionRef ref) throws RegistryException;

  /** A source for builds where no registry is wired in: every fetch says so. */
  static PackageSource none() {
    return ref -> {
      throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "no model registry is configured to fetch "
          + ref + " from; pass the package folder with --package DIR");
    };
  }
}
