package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Judges holdout metrics: against the manifest's absolute thresholds, then against the champion measured on
 * the same rows. Pure: the metrics come in already measured.
 *
 * <p>The champion tolerance is absolute for accuracy and AUC, which live on [0, 1], and relative for the error
 * metrics (log loss, RMSE, MAE), whose scale is the data's: 0.01 of a house price in dollars means nothing.
 */
public final class QualityCheck {
  static final String CHECK = "quality";

  private QualityCheck() {
  }

  /** A threshold key of modelship.yaml and the metric it bounds. */
  private record Bar(String key, String metric, Double value, ModelManifest.Task task) {
    boolean isMinimum() {
      return QualityMetrics.higherIsBetter(metric);
    }
  }

  public static List<CheckResult> judge(ModelManifest.Task task, ModelManifest.Thresholds thresholds,
                                        double championTolerance, Map<String, Double> challenger,
                                        Optional<Map<String, Double>> champion) {
    List<CheckResult> results = new ArrayList<>();
    for (Bar bar : bars(thresholds)) {
      if (bar.value() != null) {
        results.add(bar.task() == task ? absolute(bar, challenger.get(bar.metric()))
            : CheckResult.error(CHECK + "." + bar.metric(), "modelship.yaml sets " + bar.key() + ", which applies to "
                + lower(bar.task()) + " models; this one is a " + lower(task) + " model"));
      }
    }
    champion.ifPresent(measured -> challenger.forEach((metric, value) ->
        results.add(againstChampion(metric, value, measured.get(metric), championTolerance))));
    if (results.isEmpty()) {
      results.add(CheckResult.passed(CHECK, "measured " + describe(challenger) + "; modelship.yaml sets no "
          + "thresholds and there is no champion to compare with"));
    }
    return results;
  }

  private static List<Bar> bars(ModelManifest.Thresholds t) {
    return List.of(
        new Bar("accuracy_min", QualityMetrics.ACCURACY, t.accuracyMin(), ModelManifest.Task.CLASSIFICATION),
        new Bar("roc_auc_min", QualityMetrics.ROC_AUC, t.rocAucMin(), ModelManifest.Task.CLASSIFICATION),
        new Bar("log_loss_max", QualityMetrics.LOG_LOSS, t.logLossMax(), ModelManifest.Task.CLASSIFICATION),
        new Bar("rmse_max", QualityMetrics.RMSE, t.rmseMax(), ModelManifest.Task.REGRESSION),
        new Bar("mae_max", QualityMetrics.MAE, t.maeMax(), ModelManifest.Task.REGRESSION));
  }

  private static CheckResult absolute(Bar bar, Double measured) {
    String check = CHECK + "." + bar.metric();
    if (measured == null || Double.isNaN(measured)) {
      return CheckResult.error(check, bar.metric() + " cannot be measured on this holdout (for AUC: it needs rows "
          + "of more than one class), so " + bar.key() + " " + CheckResult.format(bar.value()) + " cannot be checked");
    }
    boolean met = bar.isMinimum() ? measured >= bar.value() : measured <= bar.value();
    String comparison = met ? (bar.isMinimum() ? ">=" : "<=") : (bar.isMinimum() ? "<" : ">");
    String message = String.format(Locale.ROOT, "%s %s %s %s %s", bar.metric(), CheckResult.format(measured),
        comparison, bar.key(), CheckResult.format(bar.value()));
    return met ? CheckResult.passed(check, measured, bar.value(), message)
        : CheckResult.failed(check, measured, bar.value(), message);
  }

  private static CheckResult againstChampion(String metric, Double measured, Double championValue,
                                             double tolerance) {
    String check = CHECK + "." + metric + ".vs_champion";
    if (championValue == null || Double.isNaN(championValue) || measured == null || Double.isNaN(measured)) {
      return CheckResult.error(check, metric + " of the challenger (" + measured + ") or the champion ("
          + championValue + ") cannot be measured on this holdout, so they cannot be compared");
    }
    boolean higherIsBetter = QualityMetrics.higherIsBetter(metric);
    double bar = higherIsBetter ? championValue - tolerance : championValue * (1 + tolerance);
    boolean met = higherIsBetter ? measured >= bar : measured <= bar;
    String allowance = higherIsBetter ? "champion_tolerance " + CheckResult.format(tolerance)
        : "champion_tolerance " + CheckResult.format(tolerance) + " relative";
    String message = String.format(Locale.ROOT, "%s %s vs champion %s: %s (%s)", metric,
        CheckResult.format(measured), CheckResult.format(championValue),
        met ? "not worse beyond the tolerance" : "worse than the champion beyond the tolerance", allowance);
    return met ? CheckResult.passed(check, measured, bar, message) : CheckResult.failed(check, measured, bar, message);
  }

  static String describe(Map<String, Double> metrics) {
    Map<String, String> shown = new LinkedHashMap<>();
    metrics.forEach((name, value) -> shown.put(name, CheckResult.format(value)));
    return shown.toString().replace("{", "").replace("}", "").replace("=", " ");
  }

  private static String lower(ModelManifest.Task task) {
    return task.name().toLowerCase(Locale.ROOT);
  }
}
