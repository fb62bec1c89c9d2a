package dev.modelship.controller.image;

/**
 * An image that was not built. Nothing is reported as built: no {@link ImageRef} is returned, and an archive target
 * is left as it was. Messages never carry a registry password.
 */
public class ImageBuildException extends Exception {
  /** What kind of failure, so callers (CLI exit codes, the pipeline's retry policy) can tell them apart. */
  public enum Kind {
    /** The request or the configuration is wrong (bad target, missing runtime, GPU without a GPU build). */
    INVALID,
    /** The base image does not exist where it was looked for. */
    BASE_IMAGE_NOT_FOUND,
    /** A registry refused the credentials, or asked for some and none were found. */
    UNAUTHORIZED,
    /** A registry would have needed plain HTTP or unverified TLS, and it is not on the insecure list. */
    INSECURE_CONNECTION_REFUSED,
    /** A registry could not be reached or failed; retrying later may help. */
    UNAVAILABLE
  }

  private final Kind kind;

  public ImageBuildException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ImageBuildException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
