package dev.modelship.controller.training;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.validate.QualityMetrics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The modelship.yaml of a freshly trained model. Its quality bars are either taken over from a given
 * manifest, or derived from what training measured on the holdout, a little looser than measured: the gate
 * re-measures in ONNX Runtime with 32-bit floats, and a bar set exactly at the measured value would reject
 * the very model it was measured on over rounding.
 */
public final class PackageManifests {
  /** How far below a measured accuracy or AUC its derived minimum lies. */
  public static final double SCORE_MARGIN = 0.02;
  /** How far above a measured error (log loss, RMSE, MAE) its derived maximum lies, relative to it. */
  public static final double ERROR_MARGIN = 0.05;
  private static final MathContext FOUR_DIGITS_DOWN = new MathContext(4, RoundingMode.FLOOR);
  private static final MathContext FOUR_DIGITS_UP = new MathContext(4, RoundingMode.CEILING);
  private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

  private PackageManifests() {
  }

  public static ModelManifest forTrainedModel(String name, TrainedModel model, String label,
                                              Map<String, Double> metrics, Optional<ModelManifest> bars) {
    boolean classifier = model.task() == ModelManifest.Task.CLASSIFICATION;
    return new ModelManifest(name, model.task(), List.of("input"), List.of("output"), label, model.featureOrder(),
        classifier ? model.outputColumns() : List.of(),
        bars.map(ModelManifest::thresholds).orElseGet(() -> derivedThresholds(metrics)),
        bars.map(ModelManifest::championTolerance).orElse(ModelManifest.DEFAULT_CHAMPION_TOLERANCE),
        bars.map(ModelManifest::latency).orElse(null),
        bars.map(ModelManifest::serving).orElse(Map.of()),
        rounded(metrics));
  }

  /** Bars a little looser than {@code metrics}; a metric that could not be measured gets none. */
  public static ModelManifest.Thresholds derivedThresholds(Map<String, Double> metrics) {
    return new ModelManifest.Thresholds(
        minimum(metrics.get(QualityMetrics.ACCURACY)),
        minimum(metrics.get(QualityMetrics.ROC_AUC)),
        maximum(metrics.get(QualityMetrics.LOG_LOSS)),
        maximum(metrics.get(QualityMetrics.RMSE)),
        maximum(metrics.get(QualityMetrics.MAE)));
  }

  private static Double minimum(Double measured) {
    if (measured == null || !Double.isFinite(measured)) {
      return null;
    }
    BigDecimal bar = BigDecimal.valueOf(measured).subtract(BigDecimal.valueOf(SCORE_MARGIN));
    return Math.max(0, bar.round(FOUR_DIGITS_DOWN).doubleValue());
  }

  private static Double maximum(Double measured) {
    if (measured == null || !Double.isFinite(measured)) {
      return null;
    }
    BigDecimal bar = BigDecimal.valueOf(measured).multiply(BigDecimal.valueOf(1 + ERROR_MARGIN));
    return bar.round(FOUR_DIGITS_UP).doubleValue();
  }

  private static Map<String, Double> rounded(Map<String, Double> metrics) {
    Map<String, Double> shown = new LinkedHashMap<>();
    metrics.forEach((metric, value) -> {
      if (Double.isFinite(value)) {
        shown.put(metric, BigDecimal.valueOf(value).round(SIX_DIGITS).doubleValue());
      }
    });
    return shown;
  }
}
