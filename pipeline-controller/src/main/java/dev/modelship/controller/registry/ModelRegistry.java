package dev.modelship.controller.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where model versions live. Versions are immutable: publishing a version again with the same content is a
 * no-op, with other content a {@link RegistryException.Kind#CONFLICT}. Every call either happens completely or
 * leaves the registry as it was.
 */
public interface ModelRegistry {

  /** Where this registry is, as the user wrote it (credentials never included). */
  String location();

  /** Publishes a package as {@code ref}. */
  PublishOutcome publish(ModelVersionRef ref, ModelPackage pkg) throws RegistryException;

  /** Model names, sorted. */
  List<String> models() throws RegistryException;

  /** Versions of a model, oldest first; empty when the model has none. */
  List<PublishedVersion> versions(String name) throws RegistryException;

  Optional<PublishedVersion> find(ModelVersionRef ref) throws RegistryException;

  /**
   * Copies a version's files into {@code directory} (created; must not exist or be empty), checking every
   * file against its digest, and returns the package there.
   */
  ModelPackage fetch(ModelVersionRef ref, Path directory) throws RegistryException;

  /** What {@link #publish} did. */
  record PublishOutcome(PublishedVersion version, boolean created) {
  }
}
