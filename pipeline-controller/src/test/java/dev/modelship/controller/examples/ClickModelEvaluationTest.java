package dev.modelship.controller.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClickModelEvaluationTest {
  @Test
  void aucIsOneWhenEveryClickOutscoresEveryNonClick() {
    assertThat(ClickModelEvaluation.auc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}))
        .isEqualTo(1.0);
  }

  @Test
  void aucIsZeroForAPerfectlyReversedRanking() {
    assertThat(ClickModelEvaluation.auc(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {false, false, true, true}))
        .isEqualTo(0.0);
  }

  @Test
  void tiedScoresCountHalf() {
    assertThat(ClickModelEvaluation.auc(new double[] {0.5, 0.5, 0.5, 0.5}, new boolean[] {true, false, true, false}))
        .isEqualTo(0.5);
    assertThat(ClickModelEvaluation.auc(new double[] {0.1, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true}))
        .isEqualTo(0.875);
  }

  @Test
  void aucIsUndefinedWithoutBothLabels() {
    assertThat(ClickModelEvaluation.auc(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
  }
}
