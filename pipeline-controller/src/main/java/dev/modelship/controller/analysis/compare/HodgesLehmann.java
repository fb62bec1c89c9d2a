package dev.modelship.controller.analysis.compare;

import java.util.Arrays;

/** The Hodges-Lehmann estimate of the shift between two samples: the median of all pairwise differences x - y. */
public final class HodgesLehmann {
  private HodgesLehmann() {
  }

  public static double shift(double[] x, double[] y) {
    double[] differences = new double[x.length * y.length];
    int k = 0;
    for (double a : x) {
      for (double b : y) {
        differences[k++] = a - b;
      }
    }
    return median(differences);
  }

  public static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
