package dev.modelship.serving.batching;

/** Why an accepted or offered job did not produce outputs. The HTTP layer maps each reason to a status code. */
public final class InferenceFailure extends Exception {
  public enum Reason {
    /** The model's queue is full; try again later (503). */
    QUEUE_FULL,
    /** The server is draining and takes no new work (503). */
    SHUTTING_DOWN,
    /** ONNX Runtime rejected this request's values as an invalid argument (400). */
    INVALID_INPUT,
    /** The model produced NaN or Inf and its config does not allow that (500). */
    NON_FINITE_OUTPUT,
    /** Anything else: a genuine server fault (500). */
    SERVER_FAULT
  }

  private final Reason reason;

  public InferenceFailure(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InferenceFailure(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
