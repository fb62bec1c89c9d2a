package dev.modelship.controller.analysis.compare;

import java.util.Arrays;

/**
 * The Mann-Whitney U test: does sample {@code x} (the canary) tend to be larger than {@code y} (stable)?
 * Exact p-values when there are no ties and the samples are small, otherwise the normal approximation with tie
 * and continuity corrections.
 */
public final class MannWhitney {
  private static final int EXACT_LIMIT = 30;

  private MannWhitney() {
  }

  /** U of x (the number of pairs where x beats y, ties counting a half) and the one-sided p-value for x > y. */
  public record Result(double u, double pGreater, double pLess) {
  }

  public static Result test(double[] x, double[] y) {
    int n1 = x.length;
    int n2 = y.length;
    if (n1 == 0 || n2 == 0) {
      throw new IllegalArgumentException("both samples need values");
    }
    double[] all = new double[n1 + n2];
    System.arraycopy(x, 0, all, 0, n1);
    System.arraycopy(y, 0, all, n1, n2);
    Ranks ranks = Ranks.of(all);
    double rankSumX = 0;
    for (int i = 0; i < n1; i++) {
      rankSumX += ranks.rank(x[i]);
    }
    double u = rankSumX - n1 * (n1 + 1) / 2.0;
    if (!ranks.hasTies() && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) {
      long[] counts = exactDistribution(n1, n2);
      double total = 0;
      for (long count : counts) {
        total += count;
      }
      int observed = (int) Math.round(u);
      double atLeast = 0;
      double atMost = 0;
      for (int value = 0; value < counts.length; value++) {
        if (value >= observed) {
          atLeast += counts[value];
        }
        if (value <= observed) {
          atMost += counts[value];
        }
      }
      return new Result(u, atLeast / total, atMost / total);
    }
    double n = n1 + n2;
    double mean = n1 * (double) n2 / 2;
    double variance = n1 * (double) n2 / 12 * ((n + 1) - ranks.tieCorrection() / (n * (n - 1)));
    if (variance <= 0) {
      return new Result(u, 1, 1); // every value equal: no evidence either way
    }
    double sd = Math.sqrt(variance);
    double zGreater = (u - mean - 0.5) / sd;
    double zLess = (u - mean + 0.5) / sd;
    return new Result(u, 1 - Normal.cdf(zGreater), Normal.cdf(zLess));
  }

  /** counts[u] = orderings of n1 + n2 distinct values giving U = u (the classic recurrence). */
  static long[] exactDistribution(int n1, int n2) {
    long[][][] memo = new long[n1 + 1][n2 + 1][];
    return distribution(n1, n2, memo);
  }

  private static long[] distribution(int n1, int n2, long[][][] memo) {
    if (memo[n1][n2] != null) {
      return memo[n1][n2];
    }
    long[] counts = new long[n1 * n2 + 1];
    if (n1 == 0 || n2 == 0) {
      counts[0] = 1;
    } else {
      // The largest value belongs to x (it beats all n2 of y) or to y (it adds nothing to U).
      long[] xLargest = distribution(n1 - 1, n2, memo);
      long[] yLargest = distribution(n1, n2 - 1, memo);
      for (int u = 0; u < xLargest.length; u++) {
        counts[u + n2] += xLargest[u];
      }
      for (int u = 0; u < yLargest.length; u++) {
        counts[u] += yLargest[u];
      }
    }
    memo[n1][n2] = counts;
    return counts;
  }

  /** Mid-ranks of a pooled sample. */
  private static final class Ranks {
    private final double[] sorted;
    private final double[] midRank;
    private final double tieCorrection;
    private final boolean ties;

    private Ranks(double[] sorted, double[] midRank, double tieCorrection, boolean ties) {
      this.sorted = sorted;
      this.midRank = midRank;
      this.tieCorrection = tieCorrection;
      this.ties = ties;
    }

    static Ranks of(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double[] midRank = new double[sorted.length];
      double correction = 0;
      boolean ties = false;
      for (int i = 0; i < sorted.length; ) {
        int j = i;
        while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
          j++;
        }
        double rank = (i + j) / 2.0 + 1;
        for (int k = i; k <= j; k++) {
          midRank[k] = rank;
        }
        int t = j - i + 1;
        if (t > 1) {
          ties = true;
          correction += (double) t * t * t - t;
        }
        i = j + 1;
      }
      return new Ranks(sorted, midRank, correction, ties);
    }

    /** Equal values share one mid-rank, so any index of the value will do. */
    double rank(double value) {
      return midRank[Arrays.binarySearch(sorted, value)];
    }

    double tieCorrection() {
      return tieCorrection;
    }

    boolean hasTies() {
      return ties;
    }
  }
}
