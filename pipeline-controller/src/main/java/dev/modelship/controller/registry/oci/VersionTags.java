package dev.modelship.controller.registry.oci;

import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.serving.model.ModelNames;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Model versions as tags of the one models repository: {@code clicks:3} is the tag {@code clicks-3}. The version
 * is what follows the last {@code -}, so names may contain dashes themselves ({@code click-ctr-7}). Tags that do
 * not read as a version are someone else's and are left alone.
 */
final class VersionTags {
  /** The Distribution spec's longest tag. */
  static final int MAX_TAG_LENGTH = 128;

  private VersionTags() {
  }

  static String tagOf(ModelVersionRef ref) throws RegistryException {
    String tag = ref.name() + "-" + ref.versionText();
    if (tag.length() > MAX_TAG_LENGTH) {
      throw new RegistryException(RegistryException.Kind.INVALID, "model name '" + ref.name() + "' is too long for "
          + "an OCI registry: the tag '" + tag.substring(0, 20) + "...' would have " + tag.length()
          + " characters, at most " + MAX_TAG_LENGTH + " are allowed");
    }
    return tag;
  }

  static Optional<ModelVersionRef> refOf(String tag) {
    int dash = tag.lastIndexOf('-');
    if (dash <= 0) {
      return Optional.empty();
    }
    String name = tag.substring(0, dash);
    Optional<Long> version = ModelNames.parseVersion(tag.substring(dash + 1));
    if (!ModelNames.isValidName(name) || version.isEmpty() || version.get() < 1) {
      return Optional.empty();
    }
    return Optional.of(new ModelVersionRef(name, version.get()));
  }

  /** The versions among {@code tags}, sorted by name, then version number. */
  static List<ModelVersionRef> refsOf(Collection<String> tags) {
    return tags.stream().map(VersionTags::refOf).flatMap(Optional::stream).sorted().distinct().toList();
  }
}
