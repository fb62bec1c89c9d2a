package dev.modelship.controller.registry;

import dev.modelship.serving.model.ModelNames;

/**
 * A model version as users write it, {@code clicks:3}. Names follow the serving runtime's rules (they become
 * folder names, URL segments, image tags and metric labels); versions are numbers.
 */
public record ModelVersionRef(String name, long version) implements Comparable<ModelVersionRef> {

  public ModelVersionRef {
    if (!ModelNames.isValidName(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a valid model name (letters, digits, '_', '-', '.', "
          + "starting with a letter or digit)");
    }
    if (version < 1) {
      throw new IllegalArgumentException("model versions start at 1, got " + version);
    }
  }

  /** Parses {@code name:version}. */
  public static ModelVersionRef parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not NAME:VERSION (e.g. clicks:3)");
    }
    String versionText = text.substring(colon + 1);
    long version = ModelNames.parseVersion(versionText).orElseThrow(() -> new IllegalArgumentException(
        "'" + versionText + "' in '" + text + "' is not a version number"));
    return new ModelVersionRef(text.substring(0, colon), version);
  }

  public String versionText() {
    return Long.toString(version);
  }

  @Override
  public int compareTo(ModelVersionRef other) {
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : Long.compare(version, other.version);
  }

  @Override
  public String toString() {
    return name + ":" + version;
  }
}
