package dev.modelship.controller.validate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Quality of predictions against the truth, computed the same way at training time and at the gate. Pure
 * arithmetic: a metric that the data cannot define (AUC on a holdout of one class) is {@code NaN}.
 */
public final class QualityMetrics {
  public static final String ACCURACY = "accuracy";
  public static final String ROC_AUC = "roc_auc";
  public static final String LOG_LOSS = "log_loss";
  public static final String RMSE = "rmse";
  public static final String MAE = "mae";
  /** Where log loss stops punishing certainty, as scikit-learn does, so one confident miss is not infinite. */
  static final double PROBABILITY_FLOOR = 1e-15;

  private QualityMetrics() {
  }

  /** Metrics where a larger value is better; for the rest, smaller is better. */
  public static boolean higherIsBetter(String metric) {
    return metric.equals(ACCURACY) || metric.equals(ROC_AUC);
  }

  /**
   * Accuracy, ROC AUC (binary, or the macro average of one-vs-rest AUCs for more classes) and log loss.
   *
   * @param probabilities per row, one probability per class, in the order of the class indices
   * @param truth per row, the index of the true class
   */
  public static Map<String, Double> classification(double[][] probabilities, int[] truth) {
    requireRows(probabilities.length, truth.length);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(ACCURACY, accuracy(probabilities, truth));
    metrics.put(ROC_AUC, rocAuc(probabilities, truth));
    metrics.put(LOG_LOSS, logLoss(probabilities, truth));
    return metrics;
  }

  /** Root mean squared error and mean absolute error. */
  public static Map<String, Double> regression(double[] predicted, double[] truth) {
    requireRows(predicted.length, truth.length);
    double squared = 0;
    double absolute = 0;
    for (int i = 0; i < truth.length; i++) {
      double error = predicted[i] - truth[i];
      squared += error * error;
      absolute += Math.abs(error);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(RMSE, Math.sqrt(squared / truth.length));
    metrics.put(MAE, absolute / truth.length);
    return metrics;
  }

  /** Share of rows whose most probable class is the true one; ties go to the lower class index. */
  static double accuracy(double[][] probabilities, int[] truth) {
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      correct += argMax(probabilities[i]) == truth[i] ? 1 : 0;
    }
    return (double) correct / truth.length;
  }

  /**
   * Binary: the AUC of the second class's probability. More classes: the unweighted mean of each class's
   * one-vs-rest AUC, over the classes that occur in the truth and are not all of it.
   */
  static double rocAuc(double[][] probabilities, int[] truth) {
    int classes = probabilities[0].length;
    if (classes == 2) {
      return binaryAuc(column(probabilities, 1), positives(truth, 1));
    }
    double sum = 0;
    int defined = 0;
    for (int c = 0; c < classes; c++) {
      double auc = binaryAuc(column(probabilities, c), positives(truth, c));
      if (!Double.isNaN(auc)) {
        sum += auc;
        defined++;
      }
    }
    return defined == 0 ? Double.NaN : sum / defined;
  }

  /** Mean of {@code -ln p(true class)}, with p held above {@link #PROBABILITY_FLOOR}. */
  static double logLoss(double[][] probabilities, int[] truth) {
    double sum = 0;
    for (int i = 0; i < truth.length; i++) {
      double p = probabilities[i][truth[i]];
      sum -= Math.log(Double.isNaN(p) ? p : Math.max(p, PROBABILITY_FLOOR));
    }
    return sum / truth.length;
  }

  /**
   * Rank-based (Mann-Whitney) AUC: the probability that a random positive scores above a random negative,
   * ties counting half. {@code NaN} without both positives and negatives, or with a NaN score.
   */
  public static double binaryAuc(double[] scores, boolean[] positive) {
    if (Arrays.stream(scores).anyMatch(Double::isNaN)) {
      return Double.NaN;
    }
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    double positiveRankSum = 0;
    long positives = 0;
    int start = 0;
    while (start < order.length) {
      int end = start;
      while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
        end++;
      }
      double averageRank = (start + end) / 2.0 + 1;
      for (int i = start; i <= end; i++) {
        if (positive[order[i]]) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      start = end + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  private static int argMax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double[] column(double[][] rows, int column) {
    return Arrays.stream(rows).mapToDouble(row -> row[column]).toArray();
  }

  private static boolean[] positives(int[] truth, int positiveClass) {
    boolean[] positive = new boolean[truth.length];
    for (int i = 0; i < truth.length; i++) {
      positive[i] = truth[i] == positiveClass;
    }
    return positive;
  }

  private static void requireRows(int predictions, int truths) {
    if (truths == 0) {
      throw new IllegalArgumentException("no rows to measure on");
    }
    if (predictions != truths) {
      throw new IllegalArgumentException(predictions + " predictions for " + truths + " true values");
    }
  }
}
