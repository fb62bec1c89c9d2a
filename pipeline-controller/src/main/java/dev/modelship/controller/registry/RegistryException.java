package dev.modelship.controller.registry;

/**
 * A registry operation that did not happen. The registry is left exactly as it was before the call.
 */
public class RegistryException extends Exception {
  /** What kind of failure, so callers (CLI exit codes, the pipeline's retry policy) can tell them apart. */
  public enum Kind {
    /** The package or request is wrong: bad files, bad names, a hostile archive. Retrying will not help. */
    INVALID,
    /** The version exists with other content; versions are immutable. */
    CONFLICT,
    /** No such model or version. */
    NOT_FOUND,
    /** The registry cannot be reached or answered something unusable; retrying later may help. */
    UNAVAILABLE,
    /** The registry refused our credentials. */
    UNAUTHORIZED
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
