package dev.modelship.controller.validate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * What one check of the validation gate found. A rejection always says which check, what was measured and
 * what the bar was, so nobody has to rerun the gate to learn why a version was held back.
 *
 * @param check dotted name, the gate's check first: {@code integrity.opset}, {@code quality.roc_auc}
 * @param measured the measured value, when the check measures a number
 * @param threshold the bar that value was held to, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String check, Status status, Double measured, Double threshold, String message) {

  /** How a check ended. */
  public enum Status {
    /** The check ran and the model met its bar. */
    PASSED,
    /** The check ran and the model missed its bar: the version is rejected. */
    FAILED,
    /** Nothing to check (no champion, no budget) or an earlier check made this one meaningless. */
    SKIPPED,
    /** The check could not run (a holdout that does not fit the manifest, a champion that will not load). */
    ERROR
  }

  public static CheckResult passed(String check, Double measured, Double threshold, String message) {
    return new CheckResult(check, Status.PASSED, measured, threshold, message);
  }

  public static CheckResult failed(String check, Double measured, Double threshold, String message) {
    return new CheckResult(check, Status.FAILED, measured, threshold, message);
  }

  public static CheckResult passed(String check, String message) {
    return passed(check, null, null, message);
  }

  public static CheckResult failed(String check, String message) {
    return failed(check, null, null, message);
  }

  public static CheckResult skipped(String check, String message) {
    return new CheckResult(check, Status.SKIPPED, null, null, message);
  }

  public static CheckResult error(String check, String message) {
    return new CheckResult(check, Status.ERROR, null, null, message);
  }

  /** One line for people: {@code FAILED   quality.accuracy  0.5120 (bar 0.7000)  accuracy below ...}. */
  public String summaryLine() {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s %-32s ", status, check));
    if (measured != null) {
      line.append(format(measured));
      if (threshold != null) {
        line.append(" (bar ").append(format(threshold)).append(')');
      }
      line.append("  ");
    }
    return line.append(message).toString();
  }

  static String format(double value) {
    return Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) : String.format(Locale.ROOT, "%.4f", value);
  }
}
