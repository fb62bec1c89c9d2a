package dev.modelship.controller.validate;

import java.util.List;

/** The gate's verdict on a version. */
public enum Outcome {
  /** Every check passed or had nothing to check. */
  PASSED,
  /** At least one check failed: the version must not be released. */
  REJECTED,
  /** No check failed, but at least one could not run, so the gate cannot vouch for the version. */
  ERROR;

  /**
   * A failed check outweighs one that could not run: what was measured already rules the version out,
   * whatever the missing check would have said.
   */
  public static Outcome of(List<CheckResult> results) {
    boolean error = false;
    for (CheckResult result : results) {
      if (result.status() == CheckResult.Status.FAILED) {
        return REJECTED;
      }
      error |= result.status() == CheckResult.Status.ERROR;
    }
    return error ? ERROR : PASSED;
  }

  /** The CLI's exit code: 0 passed, 1 rejected, 2 error. */
  public int exitCode() {
    return ordinal();
  }
}
