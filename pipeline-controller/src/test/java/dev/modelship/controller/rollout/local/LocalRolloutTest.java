package dev.modelship.controller.rollout.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.analysis.AnalysisRun;
import dev.modelship.controller.analysis.BuiltInAnalyses;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import dev.modelship.controller.analysis.provider.MetricProvider;
import dev.modelship.controller.rollout.CanaryStep;
import dev.modelship.controller.rollout.RolloutSpec;
import dev.modelship.controller.rollout.RolloutStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local engine's step logic with a real router and real analysis runs, but instances that are only
 * bookkeeping and metrics the test scripts, in time the test moves.
 */
class LocalRolloutTest {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

  static final class TestClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  record FakeInstance(String name, URI base, List<String> stopped) implements Instance {
    @Override
    public void stop(Duration drain) {
      stopped.add(name);
    }
  }

  private final TestClock clock = new TestClock();
  private final List<String> started = new ArrayList<>();
  private final List<String> stopped = new ArrayList<>();
  private final List<String> rollbacks = new ArrayList<>();
  private double canaryErrorRate = 0;
  private final WeightedRouter router = new WeightedRouter("clicks", TrafficSplit.stableOnly(List.of()), "127.0.0.1", 0);

  private final InstanceLauncher launcher = (app, image, index) -> {
    String name = image.substring(image.lastIndexOf(':') + 1) + "-" + index;
    started.add(name);
    return new FakeInstance(name, URI.create("http://127.0.0.1:9/" + name), stopped);
  };

  private final MetricProvider provider = new MetricProvider() {
    @Override
    public String type() {
      return "scripted";
    }

    @Override
    public MetricValue measure(ResolvedMetric metric, Instant at) {
      boolean canary = !"1".equals(metric.args().get("version"));
      return new MetricValue.Vector(List.of(metric.name().equals("error-rate") ? (canary ? canaryErrorRate : 0.0)
          : 0.010 + (at.getEpochSecond() % 7) * 0.0001));
    }
  };

  private final AnalysisRunFactory analyses = (id, templates, args) ->
      new AnalysisRun(id, BuiltInAnalyses.canary(), args, provider, clock);

  private final LocalRollout rollout = new LocalRollout("clicks", launcher, router, analyses,
      (app, aborted, stable, reason) -> writeRollback(aborted.image() + " -> " + stable.image() + ": " + reason), clock);

  private int rollbackFailuresLeft;

  private void writeRollback(String line) {
    if (rollbackFailuresLeft > 0) {
      rollbackFailuresLeft--;
      throw new IllegalStateException("git unreachable");
    }
    rollbacks.add(line);
  }

  @AfterEach
  void stop() {
    router.close();
  }

  private static final CanaryStep.Analysis ANALYSIS = new CanaryStep.Analysis(List.of("modelship-canary"), Map.of(
      "model", new CanaryStep.ArgValue.Literal("clicks"),
      "version", new CanaryStep.ArgValue.CanaryLabel(LocalRollout.VERSION_LABEL),
      "stable-version", new CanaryStep.ArgValue.PodTemplateHash(true),
      "interval", new CanaryStep.ArgValue.Literal("10s"),
      "count", new CanaryStep.ArgValue.Literal("5")));

  private static RolloutSpec spec(String version, Optional<CanaryStep.Analysis> background, CanaryStep... steps) {
    return new RolloutSpec("clicks", "registry/models:clicks-" + version, 1,
        Map.of(LocalRollout.VERSION_LABEL, version), List.of(steps), background, 0, Duration.ofSeconds(30));
  }

  private static RolloutSpec spec(String version, CanaryStep... steps) {
    return spec(version, Optional.empty(), steps);
  }

  private RolloutStatus reconcileFor(RolloutSpec desired, int seconds) throws Exception {
    RolloutStatus status = rollout.reconcile(desired);
    for (int i = 0; i < seconds; i++) {
      clock.now = clock.now.plusSeconds(1);
      status = rollout.reconcile(desired);
    }
    return status;
  }

  @Test
  void theFirstReleaseGoesStraightToStable() throws Exception {
    RolloutStatus status = rollout.reconcile(spec("1", new CanaryStep.SetWeight(10)));
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.stableImage()).endsWith("clicks-1");
    assertThat(router.split().stable()).hasSize(1);
    assertThat(started).containsExactly("clicks-1-0");
  }

  @Test
  void walksTheStepsAndPromotes() throws Exception {
    rollout.reconcile(spec("1"));
    RolloutSpec v2 = spec("2", new CanaryStep.SetWeight(20), new CanaryStep.Pause(Optional.of(Duration.ofSeconds(10))),
        ANALYSIS, new CanaryStep.SetWeight(50), new CanaryStep.Pause(Optional.empty()));
    RolloutStatus status = rollout.reconcile(v2);
    assertThat(status.phase()).isEqualTo(RolloutStatus.PAUSED);
    assertThat(status.canaryWeight()).isEqualTo(20);
    assertThat(status.currentStepIndex()).isEqualTo(1);
    assertThat(router.split().effectiveCanaryWeight()).isEqualTo(20);
    assertThat(status.pauseConditions().get(0).reason()).isEqualTo("CanaryPauseStep");

    status = reconcileFor(v2, 10);
    assertThat(status.phase()).isEqualTo(RolloutStatus.PROGRESSING);
    assertThat(status.stepAnalysis()).isPresent();

    status = reconcileFor(v2, 45);
    assertThat(status.phase()).as(status.message()).isEqualTo(RolloutStatus.PAUSED);
    assertThat(status.canaryWeight()).isEqualTo(50);
    assertThat(status.currentStepIndex()).isEqualTo(4);

    status = rollout.promote(false, v2);
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.stableImage()).endsWith("clicks-2");
    assertThat(stopped).containsExactly("clicks-1-0");
    assertThat(router.split().stable().get(0).name()).isEqualTo("canary-clicks-2-0");
  }

  @Test
  void aFailedAnalysisAbortsRollsBackInGitAndScalesTheCanaryDownAfterTheDelay() throws Exception {
    rollout.reconcile(spec("1"));
    canaryErrorRate = 0.2;
    RolloutSpec v2 = spec("2", new CanaryStep.SetWeight(20), ANALYSIS, new CanaryStep.SetWeight(100));
    RolloutStatus status = reconcileFor(v2, 15);
    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.aborted()).isTrue();
    assertThat(router.split().effectiveCanaryWeight()).isZero();
    assertThat(rollbacks).hasSize(1);
    assertThat(rollbacks.get(0)).contains("clicks-2 -> registry/models:clicks-1").contains("error-rate");
    assertThat(stopped).isEmpty();
    reconcileFor(v2, 30);
    assertThat(stopped).containsExactly("clicks-2-0");
    status = rollout.reconcile(spec("1"));
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
  }

  @Test
  void aRollbackCommitThatFailsIsRetriedUntilItLandsAndTheCanaryStaysAborted() throws Exception {
    rollout.reconcile(spec("1"));
    RolloutSpec v2 = spec("2", new CanaryStep.SetWeight(30), new CanaryStep.Pause(Optional.empty()));
    rollout.reconcile(v2);
    rollbackFailuresLeft = 2;
    RolloutStatus status = rollout.abort("bad");
    assertThat(status.aborted()).isTrue();
    assertThat(status.message()).contains("rollback commit failed, will retry: git unreachable");
    assertThat(rollbacks).isEmpty();
    status = rollout.reconcile(v2);
    assertThat(rollbacks).isEmpty();
    assertThat(status.message()).containsOnlyOnce("rollback commit failed");
    status = rollout.reconcile(v2);
    assertThat(rollbacks).hasSize(1);
    assertThat(router.split().effectiveCanaryWeight()).isZero();
    rollout.reconcile(v2);
    assertThat(rollbacks).hasSize(1);
  }

  @Test
  void analysesGetTheStableVersionToCompareWith() throws Exception {
    List<Map<String, String>> seen = new ArrayList<>();
    LocalRollout recording = new LocalRollout("clicks", launcher, router, (id, templates, args) -> {
      seen.add(args);
      return new AnalysisRun(id, BuiltInAnalyses.canary(), args, provider, clock);
    }, (app, aborted, stable, reason) -> { }, clock);
    recording.reconcile(spec("1"));
    recording.reconcile(spec("2", new CanaryStep.SetWeight(10), new CanaryStep.Analysis(List.of("x"), Map.of(
        "model", new CanaryStep.ArgValue.Literal("clicks"),
        "version", new CanaryStep.ArgValue.CanaryLabel(LocalRollout.VERSION_LABEL)))));
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).containsEntry("version", "2").containsEntry("stable-version", "1");
  }

  @Test
  void anInconclusiveAnalysisPausesForAHumanWhoCanPromote() throws Exception {
    rollout.reconcile(spec("1"));
    canaryErrorRate = Double.NaN;
    RolloutSpec v2 = spec("2", ANALYSIS, new CanaryStep.SetWeight(100));
    RolloutStatus status = reconcileFor(v2, 45);
    assertThat(status.phase()).isEqualTo(RolloutStatus.PAUSED);
    assertThat(status.pauseConditions().get(0).reason()).isEqualTo("InconclusiveAnalysis");
    status = rollout.promote(false, v2);
    assertThat(status.phase()).isEqualTo(RolloutStatus.HEALTHY);
    assertThat(status.stableImage()).endsWith("clicks-2");
  }

  @Test
  void aHumanCanAbort() throws Exception {
    rollout.reconcile(spec("1"));
    RolloutSpec v2 = spec("2", new CanaryStep.SetWeight(30), new CanaryStep.Pause(Optional.empty()));
    rollout.reconcile(v2);
    RolloutStatus status = rollout.abort("looks wrong");
    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(rollbacks.get(0)).contains("aborted by a human: looks wrong");
  }

  @Test
  void aFailingBackgroundAnalysisAbortsDuringAPause() throws Exception {
    rollout.reconcile(spec("1"));
    canaryErrorRate = 0.5;
    RolloutSpec v2 = spec("2", Optional.of(ANALYSIS), new CanaryStep.SetWeight(10),
        new CanaryStep.Pause(Optional.of(Duration.ofMinutes(10))), new CanaryStep.SetWeight(100));
    RolloutStatus status = reconcileFor(v2, 15);
    assertThat(status.phase()).isEqualTo(RolloutStatus.DEGRADED);
    assertThat(status.message()).contains("background analysis");
  }

  @Test
  void aNewerReleaseSupersedesTheRunningCanary() throws Exception {
    rollout.reconcile(spec("1"));
    rollout.reconcile(spec("2", new CanaryStep.SetWeight(10), new CanaryStep.Pause(Optional.empty())));
    RolloutStatus status = rollout.reconcile(spec("3", new CanaryStep.SetWeight(40),
        new CanaryStep.Pause(Optional.empty())));
    assertThat(stopped).containsExactly("clicks-2-0");
    assertThat(status.canaryImage()).endsWith("clicks-3");
    assertThat(status.canaryWeight()).isEqualTo(40);
  }
}
