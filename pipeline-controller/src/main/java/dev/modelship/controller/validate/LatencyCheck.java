package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** Judges single-row CPU latency against modelship.yaml's budget. Pure: the timings come in measured. */
public final class LatencyCheck {
  static final String CHECK = "latency";
  private static final double NANOS_PER_MILLI = 1e6;

  private LatencyCheck() {
  }

  /** True when modelship.yaml sets a latency budget, so timings are worth taking. */
  public static boolean hasBudget(ModelManifest.Latency budget) {
    return budget != null && (budget.p99MsMax() != null || budget.ratioToChampionMax() != null);
  }

  /** The 99th percentile by nearest rank (the smallest sample at or above 99% of them), in milliseconds. */
  public static double p99Millis(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no timings to take a percentile of");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(0.99 * sorted.length);
    return sorted[rank - 1] / NANOS_PER_MILLI;
  }

  /**
   * @param championP99Ms the champion's p99 measured the same way, when there is a champion
   */
  public static List<CheckResult> judge(ModelManifest.Latency budget, double p99Ms, OptionalDouble championP99Ms,
                                        int runs) {
    List<CheckResult> results = new ArrayList<>();
    if (!hasBudget(budget)) {
      results.add(CheckResult.skipped(CHECK, "modelship.yaml sets no latency budget (latency.p99_ms_max, "
          + "latency.ratio_to_champion_max)"));
      return results;
    }
    if (budget.p99MsMax() != null) {
      boolean met = p99Ms <= budget.p99MsMax();
      String message = String.format(Locale.ROOT, "single-row p99 %.3f ms %s p99_ms_max %s (%d runs on CPU)",
          p99Ms, met ? "<=" : ">", CheckResult.format(budget.p99MsMax()), runs);
      results.add(met ? CheckResult.passed(CHECK + ".p99_ms", p99Ms, budget.p99MsMax(), message)
          : CheckResult.failed(CHECK + ".p99_ms", p99Ms, budget.p99MsMax(), message));
    }
    if (budget.ratioToChampionMax() != null) {
      results.add(ratio(budget.ratioToChampionMax(), p99Ms, championP99Ms));
    }
    return results;
  }

  private static CheckResult ratio(double maxRatio, double p99Ms, OptionalDouble championP99Ms) {
    String check = CHECK + ".ratio_to_champion";
    if (championP99Ms.isEmpty()) {
      return CheckResult.skipped(check, "no champion to compare latency with");
    }
    double champion = championP99Ms.getAsDouble();
    double ratio = champion > 0 ? p99Ms / champion : Double.POSITIVE_INFINITY;
    boolean met = ratio <= maxRatio;
    String message = String.format(Locale.ROOT, "p99 %.3f ms is %.2fx the champion's %.3f ms; %s "
        + "ratio_to_champion_max %s", p99Ms, ratio, champion, met ? "within" : "above", CheckResult.format(maxRatio));
    return met ? CheckResult.passed(check, ratio, maxRatio, message)
        : CheckResult.failed(check, ratio, maxRatio, message);
  }
}
