package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityMetricsTest {

  @Test
  void accuracyCountsRowsWhoseMostProbableClassIsTheTrueOne() {
    double[][] probabilities = {{0.9, 0.1}, {0.4, 0.6}, {0.7, 0.3}, {0.2, 0.8}};
    int[] truth = {0, 1, 1, 0};

    assertThat(QualityMetrics.accuracy(probabilities, truth)).isEqualTo(0.5);
  }

  @Test
  void binaryAucUsesTheSecondClassesProbabilityAsTheScore() {
    // scores for class 1: 0.1 (neg), 0.35 (pos), 0.4 (neg), 0.8 (pos): 3 of 4 positive-negative pairs ordered
    double[][] probabilities = {{0.9, 0.1}, {0.65, 0.35}, {0.6, 0.4}, {0.2, 0.8}};
    int[] truth = {0, 1, 0, 1};

    assertThat(QualityMetrics.rocAuc(probabilities, truth)).isEqualTo(0.75);
  }

  @Test
  void aucCountsTiedScoresAsHalf() {
    assertThat(QualityMetrics.binaryAuc(new double[] {0.5, 0.5}, new boolean[] {true, false})).isEqualTo(0.5);
    assertThat(QualityMetrics.binaryAuc(new double[] {0.1, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true}))
        .isEqualTo(0.875);
  }

  @Test
  void multiClassAucIsTheMacroAverageOfOneVersusRest() {
    // class 0 separates perfectly (1.0), class 1 is reversed (0.0), class 2 perfectly (1.0)
    double[][] probabilities = {
        {0.8, 0.1, 0.1},
        {0.1, 0.1, 0.8},
        {0.3, 0.4, 0.3},
        {0.1, 0.5, 0.4},
    };
    int[] truth = {0, 1, 2, 2};
    double class0 = QualityMetrics.binaryAuc(new double[] {0.8, 0.1, 0.3, 0.1},
        new boolean[] {true, false, false, false});
    double class1 = QualityMetrics.binaryAuc(new double[] {0.1, 0.1, 0.4, 0.5},
        new boolean[] {false, true, false, false});
    double class2 = QualityMetrics.binaryAuc(new double[] {0.1, 0.8, 0.3, 0.4},
        new boolean[] {false, false, true, true});

    assertThat(QualityMetrics.rocAuc(probabilities, truth)).isCloseTo((class0 + class1 + class2) / 3, within(1e-12));
    assertThat(class1).isLessThan(0.5);
  }

  @Test
  void multiClassAucLeavesOutClassesAbsentFromTheTruth() {
    double[][] probabilities = {{0.8, 0.1, 0.1}, {0.2, 0.7, 0.1}};
    int[] truth = {0, 1};

    assertThat(QualityMetrics.rocAuc(probabilities, truth)).isEqualTo(1.0);
  }

  @Test
  void aucIsUndefinedWhenTheTruthHasOneClassOrAScoreIsNaN() {
    assertThat(QualityMetrics.rocAuc(new double[][] {{0.3, 0.7}, {0.4, 0.6}}, new int[] {1, 1})).isNaN();
    assertThat(QualityMetrics.binaryAuc(new double[] {Double.NaN, 0.2}, new boolean[] {true, false})).isNaN();
  }

  @Test
  void logLossIsTheMeanNegativeLogProbabilityOfTheTrueClass() {
    double[][] probabilities = {{0.8, 0.2}, {0.25, 0.75}};
    int[] truth = {0, 1};

    assertThat(QualityMetrics.logLoss(probabilities, truth))
        .isCloseTo(-(Math.log(0.8) + Math.log(0.75)) / 2, within(1e-12));
  }

  @Test
  void logLossOfACertainMissIsLargeButFinite() {
    double loss = QualityMetrics.logLoss(new double[][] {{1.0, 0.0}}, new int[] {1});

    assertThat(loss).isCloseTo(-Math.log(QualityMetrics.PROBABILITY_FLOOR), within(1e-9)).isFinite();
  }

  @Test
  void classificationReportsAccuracyAucAndLogLossInThatOrder() {
    Map<String, Double> metrics = QualityMetrics.classification(new double[][] {{0.9, 0.1}, {0.2, 0.8}},
        new int[] {0, 1});

    assertThat(metrics).containsOnlyKeys("accuracy", "roc_auc", "log_loss");
    assertThat(metrics.keySet()).containsExactly("accuracy", "roc_auc", "log_loss");
    assertThat(metrics.get("accuracy")).isEqualTo(1.0);
  }

  @Test
  void regressionReportsRootMeanSquaredAndMeanAbsoluteError() {
    Map<String, Double> metrics = QualityMetrics.regression(new double[] {1, 2, 6}, new double[] {1, 4, 3});

    assertThat(metrics.get("rmse")).isCloseTo(Math.sqrt((0 + 4 + 9) / 3.0), within(1e-12));
    assertThat(metrics.get("mae")).isCloseTo(5 / 3.0, within(1e-12));
  }

  @Test
  void refusesPredictionsThatDoNotMatchTheTruthRowForRow() {
    assertThatThrownBy(() -> QualityMetrics.regression(new double[] {1, 2}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 predictions for 1 true values");
    assertThatThrownBy(() -> QualityMetrics.classification(new double[0][], new int[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no rows");
  }

  @Test
  void onlyAccuracyAndAucGetBetterAsTheyGrow() {
    assertThat(QualityMetrics.higherIsBetter("accuracy")).isTrue();
    assertThat(QualityMetrics.higherIsBetter("roc_auc")).isTrue();
    assertThat(QualityMetrics.higherIsBetter("log_loss")).isFalse();
    assertThat(QualityMetrics.higherIsBetter("rmse")).isFalse();
    assertThat(QualityMetrics.higherIsBetter("mae")).isFalse();
  }
}
