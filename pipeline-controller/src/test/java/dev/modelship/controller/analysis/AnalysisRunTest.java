package dev.modelship.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.analysis.AnalysisDecision.Action;
import dev.modelship.controller.analysis.provider.MetricProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The run's schedule and decisions, with a clock the test moves and a provider the test scripts. */
class AnalysisRunTest {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

  /** A clock the test advances. */
  static final class TestClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Answers by metric name and version arg; records every call. */
  static final class ScriptedProvider implements MetricProvider {
    final List<String> calls = new ArrayList<>();
    final BiFunction<String, String, MetricValue> answers;

    ScriptedProvider(BiFunction<String, String, MetricValue> answers) {
      this.answers = answers;
    }

    @Override
    public String type() {
      return "scripted";
    }

    @Override
    public MetricValue measure(ResolvedMetric metric, Instant at) {
      String version = metric.args().get("version");
      calls.add(metric.name() + "@" + version);
      return answers.apply(metric.name(), version);
    }
  }

  private final TestClock clock = new TestClock();

  private static MetricValue value(double v) {
    return new MetricValue.Vector(List.of(v));
  }

  private static Map<String, String> args() {
    return Map.of("model", "clicks", "version", "2", "stable-version", "1", "interval", "10s", "count", "5");
  }

  private AnalysisStatus runUntilDecided(AnalysisRun run) {
    AnalysisStatus status = run.reconcile();
    for (int i = 0; i < 100 && status.decision().action() == Action.WAIT; i++) {
      clock.now = run.nextDueAt().orElseThrow();
      status = run.reconcile();
    }
    return status;
  }

  @Test
  void measuresOnScheduleAndPromotesAHealthyCanary() throws Exception {
    Random noise = new Random(1);
    ScriptedProvider provider = new ScriptedProvider((metric, version) -> metric.equals("error-rate") ? value(0)
        : value(0.010 + 0.0002 * noise.nextGaussian()));
    AnalysisRun run = new AnalysisRun("r1", BuiltInAnalyses.canary(), args(), provider, clock);
    AnalysisStatus first = run.reconcile();
    assertThat(first.decision().action()).isEqualTo(Action.WAIT);
    assertThat(run.nextDueAt()).contains(T0.plusSeconds(10));
    AnalysisStatus status = runUntilDecided(run);
    assertThat(status.decision().action()).isEqualTo(Action.PROMOTE);
    assertThat(clock.now).isEqualTo(T0.plusSeconds(40));
    assertThat(status.measurements().get("error-rate")).hasSize(5);
    assertThat(provider.calls).contains("latency-p99@2", "latency-p50@2", "latency-p50@1")
        .doesNotContain("latency-p99@1");
    assertThat(status.comparison()).isPresent();
    assertThat(status.decision().explanation()).contains("thresholds passed").contains("canary vs stable");
  }

  @Test
  void abortsAtTheFirstFailureBeyondTheLimitAndStopsMeasuring() throws Exception {
    ScriptedProvider provider = new ScriptedProvider((metric, version) -> metric.equals("error-rate")
        ? value(0.2) : value(0.01));
    AnalysisRun run = new AnalysisRun("r2", BuiltInAnalyses.canary(), args(), provider, clock);
    AnalysisStatus status = runUntilDecided(run);
    assertThat(status.decision().action()).isEqualTo(Action.ABORT);
    assertThat(clock.now).isEqualTo(T0.plusSeconds(10)); // failureLimit 1: the second failed measurement
    assertThat(status.decision().explanation()).contains("metric 'error-rate'").contains("result [0.2]")
        .contains("failureCondition");
    int calls = provider.calls.size();
    clock.now = clock.now.plusSeconds(60);
    run.reconcile();
    assertThat(provider.calls).hasSize(calls);
    assertThat(run.nextDueAt()).isEmpty();
  }

  @Test
  void abortsACanaryThirtyPercentSlowerThanStableUnderTheAbsoluteThreshold() throws Exception {
    Random noise = new Random(2);
    ScriptedProvider provider = new ScriptedProvider((metric, version) -> metric.equals("error-rate") ? value(0)
        : value((version.equals("2") ? 0.013 : 0.010) + 0.0002 * noise.nextGaussian()));
    // latency-p50 is the compared metric; latency-p99 is under its 0.5 s threshold either way
    AnalysisStatus status = runUntilDecided(new AnalysisRun("r3", BuiltInAnalyses.canary(), args(), provider, clock));
    assertThat(status.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(status.decision().action()).isEqualTo(Action.ABORT);
    assertThat(status.decision().explanation()).contains("canary worse than stable").contains("latency-p50");
  }

  @Test
  void noTrafficPausesForAHuman() throws Exception {
    ScriptedProvider provider = new ScriptedProvider((metric, version) -> new MetricValue.NoData("no series"));
    AnalysisStatus status = runUntilDecided(new AnalysisRun("r4", BuiltInAnalyses.canary(), args(), provider, clock));
    assertThat(status.decision().action()).isEqualTo(Action.PAUSE);
    assertThat(status.decision().explanation()).contains("no data");
  }

  @Test
  void prometheusGoingDownMidAnalysisNeverPromotes() throws Exception {
    ScriptedProvider provider = new ScriptedProvider((metric, version) ->
        clock.now.isBefore(T0.plusSeconds(25)) ? value(metric.equals("error-rate") ? 0 : 0.01)
            : new MetricValue.Failure("Prometheus at http://127.0.0.1:9090 is unreachable"));
    AnalysisStatus status = runUntilDecided(new AnalysisRun("r5", BuiltInAnalyses.canary(), args(), provider, clock));
    assertThat(status.decision().action()).isIn(Action.ABORT, Action.PAUSE);
    assertThat(status.decision().explanation()).contains("unreachable");
  }

  @Test
  void initialDelayPostponesTheFirstMeasurement() throws Exception {
    AnalysisSpec builtIn = BuiltInAnalyses.errorRate();
    AnalysisSpec.Metric m = builtIn.metrics().get(0);
    AnalysisSpec spec = new AnalysisSpec(builtIn.name(), builtIn.args(), List.of(new AnalysisSpec.Metric(m.name(),
        m.interval(), m.count(), "30s", m.failureLimit(), m.inconclusiveLimit(), m.consecutiveErrorLimit(),
        m.successCondition(), m.failureCondition(), m.provider())), null);
    ScriptedProvider provider = new ScriptedProvider((metric, version) -> value(0));
    AnalysisRun run = new AnalysisRun("r6", spec, Map.of("model", "m", "version", "2"), provider, clock);
    run.reconcile();
    assertThat(provider.calls).isEmpty();
    assertThat(run.nextDueAt()).contains(T0.plus(Duration.ofSeconds(30)));
  }
}
