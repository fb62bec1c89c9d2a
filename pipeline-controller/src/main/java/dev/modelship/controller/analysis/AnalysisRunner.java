package dev.modelship.controller.analysis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** Drives a run in real time: reconcile, wait until the next measurement is due, until there is a decision. */
public final class AnalysisRunner {
  private final Clock clock;

  public AnalysisRunner(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs until the decision is no longer WAIT, telling {@code progress} after every reconcile.
   *
   * @throws InterruptedException when interrupted (the run's status so far is still available from the run)
   */
  public AnalysisStatus runToDecision(AnalysisRun run, Consumer<AnalysisStatus> progress)
      throws InterruptedException {
    while (true) {
      AnalysisStatus status = run.reconcile();
      progress.accept(status);
      Optional<Instant> next = run.nextDueAt();
      if (status.decision().action() != AnalysisDecision.Action.WAIT || next.isEmpty()) {
        return status;
      }
      Duration wait = Duration.between(clock.instant(), next.get());
      if (!wait.isNegative() && !wait.isZero()) {
        Thread.sleep(wait.toMillis() + 1);
      }
    }
  }
}
