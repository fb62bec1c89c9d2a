package dev.modelship.controller.analysis;

import dev.modelship.controller.analysis.compare.ComparativeJudge;
import dev.modelship.controller.analysis.provider.MetricProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One analysis of a canary: each metric measured on its schedule (initial delay, then every interval, until its
 * count), judged, and turned into a decision. {@link #reconcile()} takes the measurements that are due, then
 * computes the status from everything observed, so it can be called at any time and any number of times.
 * With a comparison, every compared metric is also measured for the baseline (stable) at the same moments.
 */
public final class AnalysisRun {
  private final String id;
  private final List<ResolvedMetric> metrics;
  private final Map<String, ResolvedMetric> baseline;
  private final List<ComparativeJudge.MetricRule> rules;
  private final ComparativeJudge judge;
  private final MetricProvider provider;
  private final Clock clock;
  private final Instant startedAt;
  private final Map<String, List<Measurement>> measurements = new LinkedHashMap<>();
  private final Map<String, List<Double>> canarySamples = new HashMap<>();
  private final Map<String, List<Double>> baselineSamples = new HashMap<>();
  private AnalysisStatus status;

  public AnalysisRun(String id, AnalysisSpec spec, Map<String, String> args, MetricProvider provider, Clock clock)
      throws AnalysisSpecException {
    this.id = id;
    this.metrics = AnalysisResolver.resolve(spec, args);
    this.provider = provider;
    this.clock = clock;
    this.startedAt = clock.instant();
    ComparisonSetup comparison = ComparisonSetup.of(spec, args);
    this.baseline = comparison.baseline();
    this.rules = comparison.rules();
    this.judge = new ComparativeJudge(comparison.settings());
    metrics.forEach(metric -> measurements.put(metric.name(), new ArrayList<>()));
    this.status = computeStatus();
  }

  public String id() {
    return id;
  }

  public synchronized AnalysisStatus status() {
    return status;
  }

  /** Takes every measurement due now (none once a decision other than WAIT is made) and returns the status. */
  public synchronized AnalysisStatus reconcile() {
    if (status.decision().action() != AnalysisDecision.Action.WAIT) {
      return status;
    }
    Instant now = clock.instant();
    for (ResolvedMetric metric : metrics) {
      if (isDue(metric, now)) {
        measure(metric, now);
      }
    }
    status = computeStatus();
    return status;
  }

  /** When {@link #reconcile()} next has something to measure; empty once decided. */
  public synchronized Optional<Instant> nextDueAt() {
    if (status.decision().action() != AnalysisDecision.Action.WAIT) {
      return Optional.empty();
    }
    return metrics.stream().filter(this::wantsMore).map(this::dueAt).min(Instant::compareTo);
  }

  private boolean wantsMore(ResolvedMetric metric) {
    List<Measurement> taken = measurements.get(metric.name());
    MetricAssessment assessment = MetricAssessment.assess(metric, taken);
    return !assessment.phase().completed() && taken.size() < metric.effectiveCount();
  }

  private Instant dueAt(ResolvedMetric metric) {
    List<Measurement> taken = measurements.get(metric.name());
    if (taken.isEmpty()) {
      return startedAt.plus(metric.initialDelay());
    }
    return taken.get(taken.size() - 1).finishedAt().plus(metric.interval().orElse(Duration.ZERO));
  }

  private boolean isDue(ResolvedMetric metric, Instant now) {
    return wantsMore(metric) && !dueAt(metric).isAfter(now);
  }

  private void measure(ResolvedMetric metric, Instant now) {
    MetricValue value = provider.measure(metric, now);
    MeasurementJudge.Verdict verdict = MeasurementJudge.judge(metric, value);
    measurements.get(metric.name()).add(new Measurement(verdict.phase(), value, verdict.explanation(), now,
        clock.instant()));
    ResolvedMetric stable = baseline.get(metric.name());
    if (stable != null) {
      sample(value).ifPresent(v -> canarySamples.computeIfAbsent(metric.name(), k -> new ArrayList<>()).add(v));
      sample(provider.measure(stable, now))
          .ifPresent(v -> baselineSamples.computeIfAbsent(metric.name(), k -> new ArrayList<>()).add(v));
    }
  }

  /** A comparable sample: the single value of a one-series answer; anything else is not a sample. */
  private static Optional<Double> sample(MetricValue value) {
    if (value instanceof MetricValue.Vector vector && vector.values().size() == 1) {
      return Optional.of(vector.values().get(0));
    }
    if (value instanceof MetricValue.Scalar scalar) {
      return Optional.of(scalar.value());
    }
    return Optional.empty();
  }

  private AnalysisStatus computeStatus() {
    List<MetricAssessment> assessments = new ArrayList<>();
    for (ResolvedMetric metric : metrics) {
      assessments.add(MetricAssessment.assess(metric, measurements.get(metric.name())));
    }
    AnalysisPhase phase = MetricAssessment.runPhase(assessments);
    Optional<ComparativeJudge.Verdict> comparison = Optional.empty();
    if (!rules.isEmpty() && phase == AnalysisPhase.SUCCESSFUL) {
      Map<String, double[][]> samples = new HashMap<>();
      for (ComparativeJudge.MetricRule rule : rules) {
        samples.put(rule.metric(), new double[][] {toArray(canarySamples.get(rule.metric())),
            toArray(baselineSamples.get(rule.metric()))});
      }
      comparison = Optional.of(judge.judge(rules, samples));
    }
    AnalysisDecision decision = AnalysisDecision.decide(assessments, comparison, !rules.isEmpty());
    Map<String, List<Measurement>> copy = new LinkedHashMap<>();
    measurements.forEach((name, list) -> copy.put(name, List.copyOf(list)));
    return new AnalysisStatus(id, startedAt, phase, assessments, copy, comparison, decision);
  }

  private static double[] toArray(List<Double> values) {
    return values == null ? new double[0] : values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
