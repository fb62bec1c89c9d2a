package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelManifest;
import java.util.Locale;
import java.util.Map;

/**
 * Judges what the model answered on the holdout: every value finite and, for a classifier, each row of its
 * prediction output a probability distribution. Pure: the outputs come in already computed.
 */
public final class OutputSanityCheck {
  static final String CHECK = "output_sanity";
  /** How far a row of probabilities may sum from 1: float32 softmax over a few classes stays well inside. */
  public static final double SUM_TOLERANCE = 1e-3;

  private OutputSanityCheck() {
  }

  /**
   * @param outputs output name to values per row, in the model's output order
   * @param predictionOutput the output holding the prediction (modelship.yaml's first output)
   * @param holdoutLines the holdout.csv line of each row, to point at the first bad one
   */
  public static CheckResult judge(ModelManifest.Task task, Map<String, double[][]> outputs, String predictionOutput,
                                  int[] holdoutLines) {
    int badRows = 0;
    String first = null;
    for (Map.Entry<String, double[][]> output : outputs.entrySet()) {
      boolean probabilities = task == ModelManifest.Task.CLASSIFICATION && output.getKey().equals(predictionOutput);
      double[][] rows = output.getValue();
      for (int r = 0; r < rows.length; r++) {
        String problem = probabilities ? probabilityProblem(rows[r]) : finiteProblem(rows[r]);
        if (problem != null) {
          badRows++;
          if (first == null) {
            first = "output '" + output.getKey() + "' for holdout.csv line " + holdoutLines[r] + ": " + problem;
          }
        }
      }
    }
    if (badRows == 0) {
      return CheckResult.passed(CHECK, 0.0, 0.0, task == ModelManifest.Task.CLASSIFICATION
          ? "all outputs finite; every row of '" + predictionOutput + "' is a probability distribution"
          : "all outputs finite");
    }
    return CheckResult.failed(CHECK, (double) badRows, 0.0, badRows + " output row(s) not sane; first: " + first);
  }

  private static String finiteProblem(double[] row) {
    for (int i = 0; i < row.length; i++) {
      if (!Double.isFinite(row[i])) {
        return "column " + i + " is " + row[i];
      }
    }
    return null;
  }

  private static String probabilityProblem(double[] row) {
    String notFinite = finiteProblem(row);
    if (notFinite != null) {
      return notFinite;
    }
    double sum = 0;
    for (int i = 0; i < row.length; i++) {
      if (row[i] < 0 || row[i] > 1) {
        return "column " + i + " is " + row[i] + ", not a probability in [0, 1]";
      }
      sum += row[i];
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      return String.format(Locale.ROOT, "probabilities sum to %.6f, not 1 (tolerance %s)", sum, SUM_TOLERANCE);
    }
    return null;
  }
}
