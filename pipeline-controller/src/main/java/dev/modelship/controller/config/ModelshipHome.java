package dev.modelship.controller.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded default's working folder, {@code .modelship/} in the current directory unless
 * {@code MODELSHIP_HOME} says otherwise. Everything the controller keeps on one machine lives under it.
 */
public record ModelshipHome(Path root) {

  public static ModelshipHome fromEnvironment() {
    return fromEnvironment(System.getenv(), Path.of(""));
  }

  static ModelshipHome fromEnvironment(Map<String, String> env, Path workingDirectory) {
    String configured = env.get("MODELSHIP_HOME");
    return new ModelshipHome(configured == null || configured.isBlank()
        ? workingDirectory.toAbsolutePath().resolve(".modelship") : Path.of(configured).toAbsolutePath());
  }

  /** The filesystem model registry (the default registry URL). */
  public Path registry() {
    return root.resolve("registry");
  }

  /** Validation reports by model and version. */
  public Path validations() {
    return root.resolve("validations");
  }

  /** Small state files of long-running parts (which versions a watcher has handed on, ...). */
  public Path state() {
    return root.resolve("state");
  }
}
