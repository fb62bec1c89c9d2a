package dev.modelship.controller.analysis;

import dev.modelship.controller.analysis.expr.Condition;
import dev.modelship.controller.analysis.expr.ConditionException;
import java.util.List;

/**
 * Judges one measurement with Argo Rollouts' rules for {@code successCondition}/{@code failureCondition}, with
 * two safety rules of our own that Argo leaves to the template author: a query that matched no series, or a
 * value that is NaN, is Inconclusive without evaluating the conditions. So missing data can never pass.
 */
public final class MeasurementJudge {
  private MeasurementJudge() {
  }

  /** The phase and its explanation. */
  public record Verdict(AnalysisPhase phase, String explanation) {
  }

  public static Verdict judge(ResolvedMetric metric, MetricValue value) {
    if (value instanceof MetricValue.Failure failure) {
      return new Verdict(AnalysisPhase.ERROR, "measurement failed: " + failure.message());
    }
    if (value instanceof MetricValue.NoData noData) {
      return new Verdict(AnalysisPhase.INCONCLUSIVE, "no data: " + noData.detail());
    }
    if (value instanceof MetricValue.Vector vector && vector.values().isEmpty()) {
      return new Verdict(AnalysisPhase.INCONCLUSIVE, "no data: the query matched no series");
    }
    if (containsNaN(value)) {
      return new Verdict(AnalysisPhase.INCONCLUSIVE, "value " + describe(value)
          + " is NaN (usually no traffic in the window)");
    }
    try {
      return evaluate(metric, value);
    } catch (ConditionException e) {
      return new Verdict(AnalysisPhase.ERROR, "cannot evaluate " + describe(value) + ": " + e.getMessage());
    }
  }

  private static Verdict evaluate(ResolvedMetric metric, MetricValue value) throws ConditionException {
    Condition success = metric.successCondition();
    Condition failure = metric.failureCondition();
    boolean succeeded = success != null && test(success, value);
    boolean failed = failure != null && test(failure, value);
    String measured = describe(value);
    if (success == null && failure == null) {
      return new Verdict(AnalysisPhase.SUCCESSFUL, measured + " (no conditions: always successful)");
    }
    if (success != null && failure == null) {
      failed = !succeeded;
    } else if (success == null) {
      succeeded = !failed;
    }
    if (failed) {
      return new Verdict(AnalysisPhase.FAILED, measured + " fails " + (failure != null && test(failure, value)
          ? "failureCondition '" + failure.text() + "'" : "successCondition '" + success.text() + "'"));
    }
    if (!succeeded) {
      return new Verdict(AnalysisPhase.INCONCLUSIVE, measured + " meets neither successCondition '" + success.text()
          + "' nor failureCondition '" + failure.text() + "'");
    }
    return new Verdict(AnalysisPhase.SUCCESSFUL, measured + " meets " + (success != null
        ? "successCondition '" + success.text() + "'" : "no failureCondition '" + failure.text() + "'"));
  }

  private static boolean test(Condition condition, MetricValue value) throws ConditionException {
    return value instanceof MetricValue.Scalar scalar ? condition.test(scalar.value())
        : condition.test(((MetricValue.Vector) value).values());
  }

  private static boolean containsNaN(MetricValue value) {
    if (value instanceof MetricValue.Scalar scalar) {
      return Double.isNaN(scalar.value());
    }
    return value instanceof MetricValue.Vector vector && vector.values().stream().anyMatch(v -> v.isNaN());
  }

  static String describe(MetricValue value) {
    if (value instanceof MetricValue.Scalar scalar) {
      return "result " + scalar.value();
    }
    if (value instanceof MetricValue.Vector vector) {
      List<Double> values = vector.values();
      return values.size() == 1 ? "result [" + values.get(0) + "]" : "result " + values + " (" + values.size()
          + " series)";
    }
    return value.toString();
  }
}
