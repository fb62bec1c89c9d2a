package dev.modelship.controller.analysis;

import java.util.List;

/**
 * A metric's phase from its measurements, with Argo Rollouts' limits: more failed measurements than
 * {@code failureLimit} fail it, more inconclusive than {@code inconclusiveLimit} make it Inconclusive, more
 * consecutive errors than {@code consecutiveErrorLimit} make it an Error. Once {@code count} measurements are
 * taken it is Successful - but, unlike a bare count, only when at least one measurement succeeded and the last
 * one is not an error, so a provider that went down never lets a metric pass.
 */
public record MetricAssessment(String metric, AnalysisPhase phase, int taken, int successful, int failed,
                               int inconclusive, int errors, int consecutiveErrors, String explanation) {

  public static MetricAssessment assess(ResolvedMetric metric, List<Measurement> measurements) {
    int successful = 0;
    int failed = 0;
    int inconclusive = 0;
    int errors = 0;
    int consecutiveErrors = 0;
    for (Measurement measurement : measurements) {
      switch (measurement.phase()) {
        case SUCCESSFUL: successful++; consecutiveErrors = 0; break;
        case FAILED: failed++; consecutiveErrors = 0; break;
        case INCONCLUSIVE: inconclusive++; consecutiveErrors = 0; break;
        case ERROR: errors++; consecutiveErrors++; break;
        default: break;
      }
    }
    int taken = successful + failed + inconclusive + errors;
    String last = measurements.isEmpty() ? "" : "; last: " + measurements.get(measurements.size() - 1).explanation();
    Counts counts = new Counts(metric.name(), taken, successful, failed, inconclusive, errors, consecutiveErrors);
    if (failed > metric.failureLimit()) {
      return counts.with(AnalysisPhase.FAILED, failed + " failed measurement(s), more than failureLimit "
          + metric.failureLimit() + last);
    }
    if (consecutiveErrors > metric.consecutiveErrorLimit()) {
      return counts.with(AnalysisPhase.ERROR, consecutiveErrors + " consecutive errors, more than "
          + "consecutiveErrorLimit " + metric.consecutiveErrorLimit() + last);
    }
    if (inconclusive > metric.inconclusiveLimit()) {
      return counts.with(AnalysisPhase.INCONCLUSIVE, inconclusive + " inconclusive measurement(s), more than "
          + "inconclusiveLimit " + metric.inconclusiveLimit() + last);
    }
    if (taken < metric.effectiveCount()) {
      return counts.with(taken == 0 ? AnalysisPhase.PENDING : AnalysisPhase.RUNNING,
          taken + " of " + (metric.effectiveCount() == Integer.MAX_VALUE ? "unlimited" : metric.effectiveCount())
              + " measurement(s) taken" + last);
    }
    if (successful == 0) {
      return counts.with(errors == taken ? AnalysisPhase.ERROR : AnalysisPhase.INCONCLUSIVE,
          "no successful measurement in " + taken + last);
    }
    if (consecutiveErrors > 0) {
      return counts.with(AnalysisPhase.INCONCLUSIVE, "the last " + consecutiveErrors
          + " measurement(s) could not be taken" + last);
    }
    return counts.with(AnalysisPhase.SUCCESSFUL, successful + " of " + taken + " measurement(s) successful" + last);
  }

  private record Counts(String metric, int taken, int successful, int failed, int inconclusive, int errors,
                        int consecutiveErrors) {
    MetricAssessment with(AnalysisPhase phase, String explanation) {
      return new MetricAssessment(metric, phase, taken, successful, failed, inconclusive, errors, consecutiveErrors,
          "metric '" + metric + "': " + explanation);
    }
  }

  /**
   * A run's phase from its metrics: the worst completed phase (failed, then error, then inconclusive), Successful
   * when all metrics are, otherwise Running.
   */
  public static AnalysisPhase runPhase(List<MetricAssessment> metrics) {
    AnalysisPhase worst = null;
    boolean allCompleted = true;
    for (MetricAssessment metric : metrics) {
      if (!metric.phase().completed()) {
        allCompleted = false;
      } else if (metric.phase() != AnalysisPhase.SUCCESSFUL
          && (worst == null || metric.phase().severity() > worst.severity())) {
        worst = metric.phase();
      }
    }
    if (worst != null) {
      return worst;
    }
    return allCompleted && !metrics.isEmpty() ? AnalysisPhase.SUCCESSFUL : AnalysisPhase.RUNNING;
  }
}
