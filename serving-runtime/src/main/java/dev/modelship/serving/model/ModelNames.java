package dev.modelship.serving.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rules for model names and versions. A name never becomes part of a path built from request input, but it is
 * still restricted so that names are the same on disk, in URLs, in image paths and in metric labels.
 */
public final class ModelNames {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
  private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}|0");

  private ModelNames() {
  }

  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("..");
  }

  /** A version is a non-negative decimal number without leading zeros, at most 18 digits. */
  public static Optional<Long> parseVersion(String text) {
    if (text == null || !VERSION.matcher(text).matches()) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(text));
  }
}
