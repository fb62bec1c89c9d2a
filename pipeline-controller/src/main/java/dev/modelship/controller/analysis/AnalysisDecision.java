package dev.modelship.controller.analysis;

import dev.modelship.controller.analysis.compare.ComparativeJudge;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a canary step does next, decided from the measurements alone (no I/O, no clock): keep measuring,
 * promote, pause for a human, or abort. Nothing that could not be measured ever promotes: an Error aborts (as
 * Argo Rollouts does), Inconclusive and "no data to compare" pause.
 */
public record AnalysisDecision(Action action, String explanation) {

  public enum Action { WAIT, PROMOTE, PAUSE, ABORT }

  /**
   * @param thresholds the threshold judge's metrics
   * @param comparison the comparative judge's verdict, empty when it has not run
   * @param comparisonRequired whether promotion also needs a comparative verdict
   */
  public static AnalysisDecision decide(List<MetricAssessment> thresholds,
                                        Optional<ComparativeJudge.Verdict> comparison, boolean comparisonRequired) {
    AnalysisPhase phase = MetricAssessment.runPhase(thresholds);
    switch (phase) {
      case FAILED:
        return new AnalysisDecision(Action.ABORT, "analysis failed: " + explain(thresholds, AnalysisPhase.FAILED));
      case ERROR:
        return new AnalysisDecision(Action.ABORT, "analysis could not measure, so the canary is not promoted: "
            + explain(thresholds, AnalysisPhase.ERROR));
      case INCONCLUSIVE:
        return new AnalysisDecision(Action.PAUSE, "analysis inconclusive, waiting for a human: "
            + explain(thresholds, AnalysisPhase.INCONCLUSIVE));
      case SUCCESSFUL:
        return afterThresholds(thresholds, comparison, comparisonRequired);
      default:
        return new AnalysisDecision(Action.WAIT, "measuring: " + explain(thresholds, null));
    }
  }

  private static AnalysisDecision afterThresholds(List<MetricAssessment> thresholds,
                                                  Optional<ComparativeJudge.Verdict> comparison,
                                                  boolean comparisonRequired) {
    String passed = "thresholds passed: " + explain(thresholds, AnalysisPhase.SUCCESSFUL);
    if (!comparisonRequired) {
      return new AnalysisDecision(Action.PROMOTE, passed);
    }
    if (comparison.isEmpty()) {
      return new AnalysisDecision(Action.WAIT, passed + "; waiting for the canary-vs-stable comparison");
    }
    ComparativeJudge.Verdict verdict = comparison.get();
    switch (verdict.outcome()) {
      case PASS:
        return new AnalysisDecision(Action.PROMOTE, passed + "; canary vs stable: " + verdict.explanation());
      case FAIL:
        return new AnalysisDecision(Action.ABORT, "canary worse than stable: " + verdict.explanation());
      case MARGINAL:
        return new AnalysisDecision(Action.PAUSE, "canary vs stable is marginal, waiting for a human: "
            + verdict.explanation());
      default:
        return new AnalysisDecision(Action.PAUSE, "canary vs stable could not be compared, waiting for a human: "
            + verdict.explanation());
    }
  }

  private static String explain(List<MetricAssessment> metrics, AnalysisPhase only) {
    return metrics.stream().filter(m -> only == null || m.phase() == only).map(MetricAssessment::explanation)
        .collect(Collectors.joining("; "));
  }
}
