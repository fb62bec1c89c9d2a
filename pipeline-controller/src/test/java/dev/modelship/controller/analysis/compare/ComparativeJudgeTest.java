package dev.modelship.controller.analysis.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.analysis.compare.ComparativeJudge.BadDirection;
import dev.modelship.controller.analysis.compare.ComparativeJudge.MetricRule;
import dev.modelship.controller.analysis.compare.ComparativeJudge.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ComparativeJudgeTest {
  private static final MetricRule LATENCY = new MetricRule("latency-p99", BadDirection.INCREASE, 0.10, 0.0005, 50,
      false);
  private static final MetricRule ERRORS = new MetricRule("error-rate", BadDirection.INCREASE, 0.5, 0.005, 50, false);
  private final ComparativeJudge judge = new ComparativeJudge(ComparativeJudge.Settings.DEFAULTS);

  private static double[] around(double center, double spread, int n, long seed) {
    Random random = new Random(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = center + spread * random.nextGaussian();
    }
    return values;
  }

  @Test
  void failsACanaryThirtyPercentSlowerEvenWhenBothAreUnderAnyAbsoluteThreshold() {
    double[] stable = around(0.010, 0.0005, 12, 1);
    double[] canary = around(0.013, 0.0005, 12, 2);
    ComparativeJudge.Verdict verdict = judge.judge(List.of(LATENCY, ERRORS),
        Map.of("latency-p99", new double[][] {canary, stable},
            "error-rate", new double[][] {around(0, 0, 12, 3), around(0, 0, 12, 4)}));
    assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(verdict.score()).isEqualTo(50);
    assertThat(verdict.metrics().get(0).classification()).isEqualTo(ComparativeJudge.Classification.FAIL);
    assertThat(verdict.explanation()).contains("latency-p99: canary median").containsPattern("\\+3[0-9]% of stable")
        .contains("-> FAIL").contains("error-rate").contains("-> PASS");
  }

  @Test
  void passesACanaryThatMatchesStable() {
    ComparativeJudge.Verdict verdict = judge.judge(List.of(LATENCY),
        Map.of("latency-p99", new double[][] {around(0.010, 0.0005, 12, 5), around(0.010, 0.0005, 12, 6)}));
    assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
    assertThat(verdict.score()).isEqualTo(100);
  }

  @Test
  void aSignificantButTolerableSlowdownPasses() {
    ComparativeJudge.Verdict verdict = judge.judge(List.of(LATENCY),
        Map.of("latency-p99", new double[][] {around(0.0105, 0.0001, 20, 7), around(0.0100, 0.0001, 20, 8)}));
    assertThat(verdict.metrics().get(0).pValue()).isLessThan(0.05);
    assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
  }

  @Test
  void aFasterCanaryPassesBecauseOnlyTheBadDirectionCounts() {
    ComparativeJudge.Verdict verdict = judge.judge(List.of(LATENCY),
        Map.of("latency-p99", new double[][] {around(0.005, 0.0002, 12, 9), around(0.010, 0.0002, 12, 10)}));
    assertThat(verdict.outcome()).isEqualTo(Outcome.PASS);
  }

  @Test
  void tooFewSamplesIsNoDataNeverAPass() {
    ComparativeJudge.Verdict verdict = judge.judge(List.of(LATENCY, ERRORS),
        Map.of("latency-p99", new double[][] {{0.01, 0.01}, {0.01, 0.01, 0.01, 0.01}}));
    assertThat(verdict.outcome()).isEqualTo(Outcome.NO_DATA);
    assertThat(verdict.explanation()).contains("no metric had enough samples");
  }

  @Test
  void nonFiniteSamplesAreIgnored() {
    double[] withNaN = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.01};
    ComparativeJudge.Verdict verdict = judge.judge(List.of(LATENCY),
        Map.of("latency-p99", new double[][] {withNaN, around(0.01, 0.001, 8, 1)}));
    assertThat(verdict.outcome()).isEqualTo(Outcome.NO_DATA);
  }

  @Test
  void aMarginalScorePausesAndACriticalFailureFailsWhateverTheScore() {
    MetricRule heavy = new MetricRule("heavy", BadDirection.INCREASE, 0.1, 0, 80, false);
    MetricRule light = new MetricRule("light", BadDirection.INCREASE, 0.1, 0, 20, false);
    Map<String, double[][]> samples = Map.of(
        "heavy", new double[][] {around(1, 0.01, 10, 1), around(1, 0.01, 10, 2)},
        "light", new double[][] {around(2, 0.01, 10, 3), around(1, 0.01, 10, 4)});
    assertThat(judge.judge(List.of(heavy, light), samples).outcome()).isEqualTo(Outcome.MARGINAL);
    MetricRule criticalLight = new MetricRule("light", BadDirection.INCREASE, 0.1, 0, 20, true);
    assertThat(judge.judge(List.of(heavy, criticalLight), samples).outcome()).isEqualTo(Outcome.FAIL);
  }

  @Test
  void errorRatesAreComparedWithAnAbsoluteToleranceWhenStableIsZero() {
    double[] zeros = new double[10];
    double[] canaryErrors = around(0.05, 0.005, 10, 11);
    ComparativeJudge.Verdict verdict = judge.judge(List.of(ERRORS),
        Map.of("error-rate", new double[][] {canaryErrors, zeros}));
    assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
    double[] tinyErrors = around(0.001, 0.0001, 10, 12);
    assertThat(judge.judge(List.of(ERRORS), Map.of("error-rate", new double[][] {tinyErrors, zeros})).outcome())
        .isEqualTo(Outcome.PASS);
  }
}
