package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.registry.ModelManifest.Task;
import dev.modelship.controller.registry.ModelManifest.Thresholds;
import dev.modelship.controller.validate.CheckResult.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityCheckTest {
  private static final Thresholds CLASSIFIER_BARS = new Thresholds(0.70, 0.75, 0.60, null, null);

  private static Map<String, Double> classifier(double accuracy, double auc, double logLoss) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("accuracy", accuracy);
    metrics.put("roc_auc", auc);
    metrics.put("log_loss", logLoss);
    return metrics;
  }

  private static CheckResult only(List<CheckResult> results, String check) {
    return results.stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow();
  }

  @Test
  void passesAClassifierThatMeetsEveryThreshold() {
    List<CheckResult> results = QualityCheck.judge(Task.CLASSIFICATION, CLASSIFIER_BARS, 0.01,
        classifier(0.74, 0.80, 0.50), Optional.empty());

    assertThat(results).extracting(CheckResult::check)
        .containsExactly("quality.accuracy", "quality.roc_auc", "quality.log_loss");
    assertThat(results).allMatch(r -> r.status() == Status.PASSED);
  }

  @Test
  void rejectsAccuracyBelowItsMinimumNamingMeasuredValueAndThreshold() {
    CheckResult accuracy = only(QualityCheck.judge(Task.CLASSIFICATION, CLASSIFIER_BARS, 0.01,
        classifier(0.612, 0.80, 0.50), Optional.empty()), "quality.accuracy");

    assertThat(accuracy.status()).isEqualTo(Status.FAILED);
    assertThat(accuracy.measured()).isEqualTo(0.612);
    assertThat(accuracy.threshold()).isEqualTo(0.70);
    assertThat(accuracy.message()).isEqualTo("accuracy 0.6120 < accuracy_min 0.7000");
  }

  @Test
  void aMetricExactlyAtItsBarPasses() {
    List<CheckResult> results = QualityCheck.judge(Task.CLASSIFICATION, CLASSIFIER_BARS, 0.01,
        classifier(0.70, 0.75, 0.60), Optional.empty());

    assertThat(results).allMatch(r -> r.status() == Status.PASSED);
  }

  @Test
  void rejectsAnErrorMetricAboveItsMaximum() {
    CheckResult logLoss = only(QualityCheck.judge(Task.CLASSIFICATION, CLASSIFIER_BARS, 0.01,
        classifier(0.74, 0.80, 0.65), Optional.empty()), "quality.log_loss");

    assertThat(logLoss.status()).isEqualTo(Status.FAILED);
    assertThat(logLoss.message()).isEqualTo("log_loss 0.6500 > log_loss_max 0.6000");
  }

  @Test
  void judgesRegressionAgainstRmseAndMaeMaximums() {
    Map<String, Double> metrics = Map.of("rmse", 2.5, "mae", 0.9);
    List<CheckResult> results = QualityCheck.judge(Task.REGRESSION, new Thresholds(null, null, null, 2.0, 1.0), 0.01,
        metrics, Optional.empty());

    assertThat(only(results, "quality.rmse").status()).isEqualTo(Status.FAILED);
    assertThat(only(results, "quality.mae").status()).isEqualTo(Status.PASSED);
  }

  @Test
  void aThresholdForTheOtherTaskIsAConfigurationError() {
    List<CheckResult> results = QualityCheck.judge(Task.CLASSIFICATION, new Thresholds(null, null, null, 1.0, null),
        0.01, classifier(0.74, 0.80, 0.50), Optional.empty());

    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.ERROR);
      assertThat(r.message()).contains("rmse_max").contains("regression");
    });
  }

  @Test
  void aThresholdOnAMetricTheHoldoutCannotDefineIsAnError() {
    CheckResult auc = only(QualityCheck.judge(Task.CLASSIFICATION, CLASSIFIER_BARS, 0.01,
        classifier(0.74, Double.NaN, 0.50), Optional.empty()), "quality.roc_auc");

    assertThat(auc.status()).isEqualTo(Status.ERROR);
    assertThat(auc.message()).contains("roc_auc_min");
  }

  @Test
  void withoutThresholdsOrChampionItReportsTheMetricsAndPasses() {
    List<CheckResult> results = QualityCheck.judge(Task.CLASSIFICATION, Thresholds.NONE, 0.01,
        classifier(0.74, 0.80, 0.50), Optional.empty());

    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.check()).isEqualTo("quality");
      assertThat(r.status()).isEqualTo(Status.PASSED);
      assertThat(r.message()).contains("accuracy 0.7400").contains("roc_auc 0.8000");
    });
  }

  @Test
  void acceptsAChallengerWorseThanTheChampionWithinTheAbsoluteToleranceForScores() {
    List<CheckResult> results = QualityCheck.judge(Task.CLASSIFICATION, Thresholds.NONE, 0.01,
        classifier(0.735, 0.80, 0.50), Optional.of(classifier(0.74, 0.80, 0.50)));

    CheckResult accuracy = only(results, "quality.accuracy.vs_champion");
    assertThat(accuracy.status()).isEqualTo(Status.PASSED);
    assertThat(accuracy.threshold()).isEqualTo(0.73, org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void rejectsAChallengerWorseThanTheChampionBeyondTheTolerance() {
    List<CheckResult> results = QualityCheck.judge(Task.CLASSIFICATION, Thresholds.NONE, 0.01,
        classifier(0.70, 0.72, 0.50), Optional.of(classifier(0.74, 0.80, 0.50)));

    CheckResult auc = only(results, "quality.roc_auc.vs_champion");
    assertThat(auc.status()).isEqualTo(Status.FAILED);
    assertThat(auc.measured()).isEqualTo(0.72);
    assertThat(auc.message()).contains("roc_auc 0.7200 vs champion 0.8000").contains("worse than the champion");
    assertThat(only(results, "quality.log_loss.vs_champion").status()).isEqualTo(Status.PASSED);
  }

  @Test
  void errorMetricsMayGrowOnlyByTheToleranceRelativeToTheChampion() {
    Map<String, Double> champion = Map.of("rmse", 1000.0);

    CheckResult within = only(QualityCheck.judge(Task.REGRESSION, Thresholds.NONE, 0.01, Map.of("rmse", 1009.0),
        Optional.of(champion)), "quality.rmse.vs_champion");
    CheckResult beyond = only(QualityCheck.judge(Task.REGRESSION, Thresholds.NONE, 0.01, Map.of("rmse", 1011.0),
        Optional.of(champion)), "quality.rmse.vs_champion");

    assertThat(within.status()).isEqualTo(Status.PASSED);
    assertThat(beyond.status()).isEqualTo(Status.FAILED);
    assertThat(beyond.threshold()).isEqualTo(1010.0, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void aChampionMetricThatCannotBeMeasuredIsAnErrorNotAPass() {
    CheckResult auc = only(QualityCheck.judge(Task.CLASSIFICATION, Thresholds.NONE, 0.01,
        classifier(0.74, 0.80, 0.50), Optional.of(classifier(0.74, Double.NaN, 0.5))), "quality.roc_auc.vs_champion");

    assertThat(auc.status()).isEqualTo(Status.ERROR);
  }
}
