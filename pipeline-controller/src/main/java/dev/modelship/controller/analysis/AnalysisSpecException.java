package dev.modelship.controller.analysis;

/** An analysis spec that cannot be used: bad YAML, unknown keys, a missing arg, a condition that does not parse. */
public final class AnalysisSpecException extends Exception {
  public AnalysisSpecException(String message) {
    super(message);
  }

  public AnalysisSpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
