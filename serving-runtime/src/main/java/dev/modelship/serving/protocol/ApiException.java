package dev.modelship.serving.protocol;

/**
 * A request the server answers with an error status and {@code {"error": message}}. Status 400 means the
 * client must change the request; 404, 413 and 503 as in HTTP; 500 is kept for genuine server faults.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final Integer retryAfterSeconds;

  public ApiException(int status, String message) {
    this(status, message, null);
  }

  public ApiException(int status, String message, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, message, 1);
  }

  public int status() {
    return status;
  }

  /** Seconds for a {@code Retry-After} header, or null for none. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
