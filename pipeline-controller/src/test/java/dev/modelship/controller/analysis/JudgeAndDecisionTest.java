package dev.modelship.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.analysis.AnalysisDecision.Action;
import dev.modelship.controller.analysis.compare.ComparativeJudge;
import dev.modelship.controller.analysis.expr.Condition;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JudgeAndDecisionTest {
  private static final ResolvedMetric.PrometheusQuery QUERY = new ResolvedMetric.PrometheusQuery(
      URI.create("http://prometheus:9090"), "up", Duration.ofSeconds(5), Map.of());

  private static ResolvedMetric metric(String success, String failure, int count, int failureLimit,
                                       int inconclusiveLimit) throws Exception {
    return new ResolvedMetric("error-rate", Optional.of(Duration.ofSeconds(10)), OptionalInt.of(count), Duration.ZERO,
        failureLimit, inconclusiveLimit, 4, success == null ? null : Condition.parse(success),
        failure == null ? null : Condition.parse(failure), QUERY);
  }

  private static ResolvedMetric guarded() throws Exception {
    return metric("len(result) > 0 && result[0] <= 0.01", "len(result) > 0 && result[0] > 0.01", 3, 0, 0);
  }

  private static MetricValue vector(Double... values) {
    return new MetricValue.Vector(List.of(values));
  }

  private static Measurement measured(ResolvedMetric metric, MetricValue value) {
    MeasurementJudge.Verdict verdict = MeasurementJudge.judge(metric, value);
    return new Measurement(verdict.phase(), value, verdict.explanation(), Instant.EPOCH, Instant.EPOCH);
  }

  @Test
  void measurementPhasesFollowArgoConditions() throws Exception {
    assertThat(MeasurementJudge.judge(guarded(), vector(0.001)).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(MeasurementJudge.judge(guarded(), vector(0.2)).phase()).isEqualTo(AnalysisPhase.FAILED);
    ResolvedMetric successOnly = metric("result[0] < 0.5", null, 1, 0, 0);
    assertThat(MeasurementJudge.judge(successOnly, vector(0.7)).phase()).isEqualTo(AnalysisPhase.FAILED);
    ResolvedMetric failureOnly = metric(null, "result[0] > 0.5", 1, 0, 0);
    assertThat(MeasurementJudge.judge(failureOnly, vector(0.1)).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    ResolvedMetric neither = metric("result[0] < 0.1", "result[0] > 0.9", 1, 0, 0);
    assertThat(MeasurementJudge.judge(neither, vector(0.5)).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    ResolvedMetric none = metric(null, null, 1, 0, 0);
    assertThat(MeasurementJudge.judge(none, vector(0.5)).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(MeasurementJudge.judge(metric("result < 1", null, 1, 0, 0), new MetricValue.Scalar(0.5)).phase())
        .isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void noDataIsInconclusiveEvenWhenAConditionWouldPassIt() throws Exception {
    ResolvedMetric lenient = metric("len(result) == 0 || result[0] < 0.01", null, 1, 0, 0);
    MeasurementJudge.Verdict empty = MeasurementJudge.judge(lenient, vector());
    assertThat(empty.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(empty.explanation()).contains("no data");
    assertThat(MeasurementJudge.judge(lenient, new MetricValue.NoData("no traffic")).phase())
        .isEqualTo(AnalysisPhase.INCONCLUSIVE);
  }

  @Test
  void nanIsInconclusiveAndNotComparedAway() throws Exception {
    ResolvedMetric successOnly = metric("result[0] < 0.01", null, 1, 0, 0);
    MeasurementJudge.Verdict verdict = MeasurementJudge.judge(successOnly, vector(Double.NaN));
    assertThat(verdict.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(verdict.explanation()).contains("NaN");
  }

  @Test
  void severalSeriesAreEvaluatedAsAListLikeArgo() throws Exception {
    ResolvedMetric perPod = metric("len(result) == 2 && result[0] < 1 && result[1] < 1", null, 1, 0, 0);
    assertThat(MeasurementJudge.judge(perPod, vector(0.2, 0.3)).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(MeasurementJudge.judge(perPod, vector(0.2, 3.0)).phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(MeasurementJudge.judge(perPod, vector(0.2, 3.0)).explanation()).contains("2 series");
  }

  @Test
  void providerFailuresAndUnevaluableConditionsAreErrors() throws Exception {
    assertThat(MeasurementJudge.judge(guarded(), new MetricValue.Failure("connection refused")).phase())
        .isEqualTo(AnalysisPhase.ERROR);
    ResolvedMetric unguarded = metric("result[1] < 0.01", null, 1, 0, 0);
    MeasurementJudge.Verdict verdict = MeasurementJudge.judge(unguarded, vector(0.001));
    assertThat(verdict.phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(verdict.explanation()).contains("out of range");
  }

  private static MetricAssessment assess(ResolvedMetric metric, MetricValue... values) {
    List<Measurement> measurements = new ArrayList<>();
    for (MetricValue value : values) {
      measurements.add(measured(metric, value));
    }
    return MetricAssessment.assess(metric, measurements);
  }

  private static final MetricValue OK = new MetricValue.Vector(List.of(0.001));
  private static final MetricValue BAD = new MetricValue.Vector(List.of(0.5));
  private static final MetricValue EMPTY = new MetricValue.NoData("no series");
  private static final MetricValue DOWN = new MetricValue.Failure("connection refused");

  @Test
  void metricLimitsFollowArgo() throws Exception {
    assertThat(assess(guarded()).phase()).isEqualTo(AnalysisPhase.PENDING);
    assertThat(assess(guarded(), OK).phase()).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(assess(guarded(), OK, OK, OK).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(assess(guarded(), OK, BAD).phase()).isEqualTo(AnalysisPhase.FAILED);
    ResolvedMetric tolerant = metric("len(result) > 0 && result[0] <= 0.01", "len(result) > 0 && result[0] > 0.01",
        3, 1, 1);
    assertThat(assess(tolerant, OK, BAD, OK).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(assess(tolerant, BAD, BAD).phase()).isEqualTo(AnalysisPhase.FAILED);
    assertThat(assess(tolerant, EMPTY, OK).phase()).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(assess(tolerant, EMPTY, EMPTY).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(assess(guarded(), OK, DOWN, DOWN, DOWN, DOWN, DOWN).phase()).isEqualTo(AnalysisPhase.ERROR);
  }

  @Test
  void tooLittleTrafficEndsInconclusiveNotSuccessful() throws Exception {
    ResolvedMetric patient = metric("len(result) > 0 && result[0] <= 0.01", "len(result) > 0 && result[0] > 0.01",
        3, 0, 5);
    MetricAssessment assessment = assess(patient, EMPTY, EMPTY, EMPTY);
    assertThat(assessment.phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(assessment.explanation()).contains("no successful measurement in 3");
  }

  @Test
  void aProviderDownAtTheEndNeverLetsTheMetricPass() throws Exception {
    assertThat(assess(guarded(), OK, OK, DOWN).phase()).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(assess(guarded(), DOWN, DOWN, DOWN).phase()).isEqualTo(AnalysisPhase.ERROR);
    assertThat(assess(guarded(), DOWN, OK, OK).phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
  }

  @Test
  void runPhaseIsTheWorstCompletedMetric() {
    MetricAssessment ok = new MetricAssessment("a", AnalysisPhase.SUCCESSFUL, 1, 1, 0, 0, 0, 0, "");
    MetricAssessment running = new MetricAssessment("b", AnalysisPhase.RUNNING, 1, 1, 0, 0, 0, 0, "");
    MetricAssessment failed = new MetricAssessment("c", AnalysisPhase.FAILED, 1, 0, 1, 0, 0, 0, "");
    MetricAssessment error = new MetricAssessment("d", AnalysisPhase.ERROR, 1, 0, 0, 0, 1, 1, "");
    MetricAssessment inconclusive = new MetricAssessment("e", AnalysisPhase.INCONCLUSIVE, 1, 0, 0, 1, 0, 0, "");
    assertThat(MetricAssessment.runPhase(List.of(ok, ok))).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(MetricAssessment.runPhase(List.of(ok, running))).isEqualTo(AnalysisPhase.RUNNING);
    assertThat(MetricAssessment.runPhase(List.of(running, failed))).isEqualTo(AnalysisPhase.FAILED);
    assertThat(MetricAssessment.runPhase(List.of(error, inconclusive))).isEqualTo(AnalysisPhase.ERROR);
    assertThat(MetricAssessment.runPhase(List.of(error, failed))).isEqualTo(AnalysisPhase.FAILED);
    assertThat(MetricAssessment.runPhase(List.of(ok, inconclusive))).isEqualTo(AnalysisPhase.INCONCLUSIVE);
    assertThat(MetricAssessment.runPhase(List.of())).isEqualTo(AnalysisPhase.RUNNING);
  }

  private static MetricAssessment phase(AnalysisPhase phase) {
    return new MetricAssessment("m", phase, 1, 0, 0, 0, 0, 0, "metric 'm': " + phase);
  }

  private static Optional<ComparativeJudge.Verdict> comparison(ComparativeJudge.Outcome outcome) {
    return Optional.of(new ComparativeJudge.Verdict(outcome, 50, List.of(), "compared: " + outcome));
  }

  @ParameterizedTest
  @EnumSource(AnalysisPhase.class)
  void decisionForEveryThresholdPhaseWithoutComparison(AnalysisPhase phase) {
    Action expected = switch (phase) {
      case PENDING, RUNNING -> Action.WAIT;
      case SUCCESSFUL -> Action.PROMOTE;
      case INCONCLUSIVE -> Action.PAUSE;
      case ERROR, FAILED -> Action.ABORT;
    };
    assertThat(AnalysisDecision.decide(List.of(phase(phase)), Optional.empty(), false).action()).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(AnalysisPhase.class)
  void aComparisonNeverOverridesAThresholdFailureOrError(AnalysisPhase phase) {
    AnalysisDecision decision = AnalysisDecision.decide(List.of(phase(phase)),
        comparison(ComparativeJudge.Outcome.PASS), true);
    if (phase == AnalysisPhase.SUCCESSFUL) {
      assertThat(decision.action()).isEqualTo(Action.PROMOTE);
    } else {
      assertThat(decision.action()).isNotEqualTo(Action.PROMOTE);
    }
  }

  @ParameterizedTest
  @EnumSource(ComparativeJudge.Outcome.class)
  void comparisonOutcomesAfterPassedThresholds(ComparativeJudge.Outcome outcome) {
    Action expected = switch (outcome) {
      case PASS -> Action.PROMOTE;
      case FAIL -> Action.ABORT;
      case MARGINAL, NO_DATA -> Action.PAUSE;
    };
    AnalysisDecision decision = AnalysisDecision.decide(List.of(phase(AnalysisPhase.SUCCESSFUL)),
        comparison(outcome), true);
    assertThat(decision.action()).isEqualTo(expected);
    assertThat(decision.explanation()).contains("compared: " + outcome);
  }

  @Test
  void aRequiredComparisonThatHasNotRunYetWaits() {
    assertThat(AnalysisDecision.decide(List.of(phase(AnalysisPhase.SUCCESSFUL)), Optional.empty(), true).action())
        .isEqualTo(Action.WAIT);
  }

  @Test
  void prometheusDownNeverPromotes() throws Exception {
    MetricAssessment down = assess(guarded(), OK, OK, DOWN);
    for (ComparativeJudge.Outcome outcome : ComparativeJudge.Outcome.values()) {
      assertThat(AnalysisDecision.decide(List.of(down), comparison(outcome), true).action())
          .isNotEqualTo(Action.PROMOTE);
    }
    MetricAssessment gone = assess(guarded(), DOWN, DOWN, DOWN, DOWN, DOWN);
    AnalysisDecision decision = AnalysisDecision.decide(List.of(gone), Optional.empty(), false);
    assertThat(decision.action()).isEqualTo(Action.ABORT);
    assertThat(decision.explanation()).contains("could not measure").contains("connection refused");
  }
}
