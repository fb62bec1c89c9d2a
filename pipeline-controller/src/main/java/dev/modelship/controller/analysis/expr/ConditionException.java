package dev.modelship.controller.analysis.expr;

/** A condition that does not parse (a configuration error) or cannot be evaluated on a result (a measurement error). */
public final class ConditionException extends Exception {
  public ConditionException(String message) {
    super(message);
  }
}
