package dev.modelship.controller.training;

import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;

/**
 * Publishes a freshly trained package to a registry as the model's next version: what {@code train --push}
 * and {@code watch-data --push} do after training.
 */
@FunctionalInterface
public interface PackagePusher {
  /** Returns the version the package became. */
  ModelVersionRef push(ModelPackage pkg) throws RegistryException;
}
