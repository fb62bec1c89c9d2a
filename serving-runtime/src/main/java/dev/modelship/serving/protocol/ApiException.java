package dev.modelship.serving.protocol;

/**
 * A request the server answers with an error status and {@code {"error": message}}. Status 400 means the
 * client must change the request; 404, 413 and 503 as in HTTP; 500 is kept for genuine server faults.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final Integer retryAfterSeconds;
  private final boolean closeConnection;

  public ApiException(int status, String message) {
    this(status, message, null);
  }

  public ApiException(int status, String message, Integer retryAfterSeconds) {
    this(status, message, retryAfterSeconds, false);
  }

  private ApiException(int status, String message, Integer retryAfterSeconds, boolean closeConnection) {
    super(message, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.closeConnection = closeConnection;
  }

  /** 503 from a server that is going away: the client should retry elsewhere, on a new connection. */
  public static ApiException goingAway(String message) {
    return new ApiException(503, message, 1, true);
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

  /** True when the response should close its keep-alive connection. */
  public boolean closeConnection() {
    return closeConnection;
  }

  /** Seconds for a {@code Retry-After} header, or null for none. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
