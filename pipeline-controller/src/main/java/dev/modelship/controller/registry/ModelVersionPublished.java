package dev.modelship.controller.registry;

/** A version appeared in a registry: what {@link RegistryWatcher} hands on, once per version and content. */
public record ModelVersionPublished(ModelVersionRef ref, String digest) {
}
