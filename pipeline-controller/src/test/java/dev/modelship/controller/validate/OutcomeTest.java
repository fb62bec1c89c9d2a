package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  private static final CheckResult PASSED = CheckResult.passed("a", "ok");
  private static final CheckResult SKIPPED = CheckResult.skipped("b", "nothing to do");
  private static final CheckResult FAILED = CheckResult.failed("c", 1.0, 0.0, "bad");
  private static final CheckResult ERROR = CheckResult.error("d", "could not run");

  @Test
  void passesWhenEveryCheckPassedOrWasSkipped() {
    assertThat(Outcome.of(List.of(PASSED, SKIPPED))).isEqualTo(Outcome.PASSED);
    assertThat(Outcome.of(List.of(SKIPPED))).isEqualTo(Outcome.PASSED);
  }

  @Test
  void anyFailedCheckRejects() {
    assertThat(Outcome.of(List.of(PASSED, FAILED, SKIPPED))).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void aCheckThatCouldNotRunIsAnErrorUnlessAnotherFailed() {
    assertThat(Outcome.of(List.of(PASSED, ERROR))).isEqualTo(Outcome.ERROR);
    assertThat(Outcome.of(List.of(ERROR, FAILED))).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void exitCodesAreZeroOneTwo() {
    assertThat(Outcome.PASSED.exitCode()).isZero();
    assertThat(Outcome.REJECTED.exitCode()).isEqualTo(1);
    assertThat(Outcome.ERROR.exitCode()).isEqualTo(2);
  }
}
