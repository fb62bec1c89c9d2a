package dev.modelship.controller.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.registry.ModelManifest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackageManifestsTest {

  @Test
  void derivedMinimumsLieALittleBelowTheMeasuredScores() {
    Map<String, Double> measured = new LinkedHashMap<>();
    measured.put("accuracy", 0.7580);
    measured.put("roc_auc", 0.78941);
    measured.put("log_loss", 0.50793);

    ModelManifest.Thresholds bars = PackageManifests.derivedThresholds(measured);

    assertThat(bars.accuracyMin()).isEqualTo(0.738);
    assertThat(bars.rocAucMin()).isEqualTo(0.7694);
    assertThat(bars.logLossMax()).isEqualTo(0.5334);
    assertThat(bars.accuracyMin()).isLessThan(measured.get("accuracy"));
    assertThat(bars.logLossMax()).isGreaterThan(measured.get("log_loss"));
    assertThat(bars.rmseMax()).isNull();
  }

  @Test
  void derivedErrorMaximumsScaleWithTheData() {
    ModelManifest.Thresholds bars = PackageManifests.derivedThresholds(Map.of("rmse", 12345.6, "mae", 0.0123));

    assertThat(bars.rmseMax()).isEqualTo(12970.0);
    assertThat(bars.maeMax()).isEqualTo(0.01292);
    assertThat(bars.accuracyMin()).isNull();
  }

  @Test
  void aMetricThatCouldNotBeMeasuredGetsNoBar() {
    ModelManifest.Thresholds bars = PackageManifests.derivedThresholds(Map.of("accuracy", 0.9, "roc_auc", Double.NaN));

    assertThat(bars.rocAucMin()).isNull();
    assertThat(bars.accuracyMin()).isEqualTo(0.88);
  }
}
