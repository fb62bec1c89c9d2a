package dev.modelship.controller.analysis.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canary against stable, Kayenta-style. Per metric: a one-sided Mann-Whitney U test in the bad direction and the
 * Hodges-Lehmann shift; the metric fails when the canary is significantly worse AND worse by more than the
 * tolerance. The verdict is a weighted score of the metrics that had data: at least {@code passScore} passes,
 * at least {@code marginalScore} is marginal (a human decides), below fails; a failed critical metric fails
 * the canary whatever the score. With no data at all the verdict is NO_DATA, never a pass.
 */
public final class ComparativeJudge {

  /** Which way is worse. */
  public enum BadDirection { INCREASE, DECREASE }

  /**
   * How one metric is compared.
   *
   * @param relativeTolerance allowed worsening as a fraction of the stable median (0.10 = 10 %)
   * @param absoluteTolerance allowed worsening in the metric's unit, used when larger (stable medians near 0)
   */
  public record MetricRule(String metric, BadDirection badDirection, double relativeTolerance,
                           double absoluteTolerance, double weight, boolean critical) {
  }

  /** Significance and score thresholds; {@link #DEFAULTS} are Kayenta's. */
  public record Settings(double alpha, int minSamples, double passScore, double marginalScore) {
    public static final Settings DEFAULTS = new Settings(0.05, 4, 95, 75);
  }

  public enum Classification { PASS, FAIL, NO_DATA }

  public enum Outcome { PASS, MARGINAL, FAIL, NO_DATA }

  public record MetricVerdict(String metric, Classification classification, double canaryMedian,
                              double stableMedian, double shift, double pValue, String explanation) {
  }

  public record Verdict(Outcome outcome, double score, List<MetricVerdict> metrics, String explanation) {
  }

  private final Settings settings;

  public ComparativeJudge(Settings settings) {
    this.settings = settings;
  }

  /** @param samples per metric name: {canary samples, stable samples} */
  public Verdict judge(List<MetricRule> rules, Map<String, double[][]> samples) {
    List<MetricVerdict> verdicts = new ArrayList<>();
    double weightWithData = 0;
    double weightPassed = 0;
    boolean criticalFailed = false;
    for (MetricRule rule : rules) {
      double[][] pair = samples.getOrDefault(rule.metric(), new double[][] {{}, {}});
      MetricVerdict verdict = compare(rule, finite(pair[0]), finite(pair[1]));
      verdicts.add(verdict);
      if (verdict.classification() == Classification.NO_DATA) {
        continue;
      }
      weightWithData += rule.weight();
      if (verdict.classification() == Classification.PASS) {
        weightPassed += rule.weight();
      } else if (rule.critical()) {
        criticalFailed = true;
      }
    }
    if (weightWithData == 0) {
      return new Verdict(Outcome.NO_DATA, Double.NaN, verdicts, "no metric had enough samples (at least "
          + settings.minSamples() + " per side) to compare canary and stable");
    }
    double score = 100 * weightPassed / weightWithData;
    Outcome outcome = criticalFailed ? Outcome.FAIL : score >= settings.passScore() ? Outcome.PASS
        : score >= settings.marginalScore() ? Outcome.MARGINAL : Outcome.FAIL;
    String summary = String.format(Locale.ROOT, "score %.0f (pass >= %.0f, marginal >= %.0f)%s: %s", score,
        settings.passScore(), settings.marginalScore(), criticalFailed ? ", a critical metric failed" : "",
        String.join("; ", verdicts.stream().map(MetricVerdict::explanation).toList()));
    return new Verdict(outcome, score, verdicts, summary);
  }

  private MetricVerdict compare(MetricRule rule, double[] canary, double[] stable) {
    if (canary.length < settings.minSamples() || stable.length < settings.minSamples()) {
      return new MetricVerdict(rule.metric(), Classification.NO_DATA, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          String.format(Locale.ROOT, "%s: not enough samples (canary %d, stable %d, need %d each)", rule.metric(),
              canary.length, stable.length, settings.minSamples()));
    }
    double canaryMedian = HodgesLehmann.median(canary);
    double stableMedian = HodgesLehmann.median(stable);
    double shift = HodgesLehmann.shift(canary, stable);
    MannWhitney.Result test = MannWhitney.test(canary, stable);
    boolean increaseIsBad = rule.badDirection() == BadDirection.INCREASE;
    double p = increaseIsBad ? test.pGreater() : test.pLess();
    double worsening = increaseIsBad ? shift : -shift;
    double tolerance = Math.max(rule.relativeTolerance() * Math.abs(stableMedian), rule.absoluteTolerance());
    boolean significant = p < settings.alpha();
    boolean beyondTolerance = worsening > tolerance;
    Classification classification = significant && beyondTolerance ? Classification.FAIL : Classification.PASS;
    String relative = stableMedian != 0 ? String.format(Locale.ROOT, " (%+.0f%% of stable)",
        100 * shift / Math.abs(stableMedian)) : "";
    String explanation = String.format(Locale.ROOT, "%s: canary median %.4g vs stable %.4g, shift %+.4g%s, "
            + "tolerance %.4g, Mann-Whitney p=%.3g (alpha %.2g, %s is bad) -> %s", rule.metric(), canaryMedian,
        stableMedian, shift, relative, tolerance, p, settings.alpha(), increaseIsBad ? "an increase" : "a decrease",
        classification);
    return new MetricVerdict(rule.metric(), classification, canaryMedian, stableMedian, shift, p, explanation);
  }

  private static double[] finite(double[] values) {
    return Arrays.stream(values).filter(Double::isFinite).toArray();
  }
}
