package dev.modelship.controller.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.gitops.RollbackRequest;
import dev.modelship.controller.pipeline.JournalEntry;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.rollout.RolloutStatus;
import dev.modelship.controller.testing.GitOpsRepo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout stage following a release through the engine's statuses (scripted by the test) and the GitOps
 * repository's history (a real bare repository written by the release writer).
 */
class RolloutStageIT {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  private static final String APP = "clicks";

  @TempDir
  Path dir;

  private GitOpsRepo repo;
  private final StepClock clock = new StepClock();
  private final List<String> events = new CopyOnWriteArrayList<>();
  /** What the engine reports on each call, in turn; the last one again and again; empty: the engine runs no app. */
  private final List<Optional<RolloutStatus>> script = new ArrayList<>();
  private int calls;

  @BeforeEach
  void initialiseRepository() throws Exception {
    repo = GitOpsRepo.init(dir);
  }

  private Optional<RolloutStatus> engine(String app) {
    assertThat(app).isEqualTo(APP);
    clock.now = clock.now.plus(clock.step);
    Optional<RolloutStatus> status = script.get(Math.min(calls, script.size() - 1));
    calls++;
    return status;
  }

  private RolloutStage stage(Duration deadline) {
    return new RolloutStage(this::engine, repo.writer(), GitOpsRepo.ENVIRONMENT, clock, Duration.ofMillis(1),
        deadline);
  }

  private Stage.Result follow(PipelineRun run) throws Exception {
    return stage(Duration.ofMinutes(30)).run(run, events::add);
  }

  /** The run of {@code version} as the journal has it once its image is built: the build's pinned reference. */
  private static PipelineRun builtRun(long version) {
    String id = APP + "-" + version;
    // The image store's reference has a tag the engine's rendered image lacks; the digest is what identifies it.
    String image = "modelship.local/serving:" + id + "@" + GitOpsRepo.image(APP, version).digest();
    return PipelineRun.fold(List.of(
        new JournalEntry(1, T0, id, JournalEntry.Type.CREATED, APP, version, GitOpsRepo.digest("package"), null,
            null, null, null),
        new JournalEntry(2, T0, id, JournalEntry.Type.STAGE_STARTED, null, null, null, BuildImageStage.NAME, null,
            null, null),
        new JournalEntry(3, T0, id, JournalEntry.Type.STAGE_SUCCEEDED, null, null, null, BuildImageStage.NAME,
            Map.of(BuildImageStage.IMAGE, image), "built " + image, null))).get(0);
  }

  private static String engineImage(long version) {
    return GitOpsRepo.image(APP, version).reference();
  }

  private static RolloutStatus status(String phase, Long stable, Long canary, int step, int weight, boolean aborted,
                                      String message) {
    return new RolloutStatus(APP, phase, step, 4, stable == null ? null : engineImage(stable),
        canary == null ? null : engineImage(canary), weight, List.of(), aborted, message, Optional.empty(),
        Optional.empty(), T0, null, null);
  }

  private static Optional<RolloutStatus> healthy(long stable) {
    return Optional.of(status(RolloutStatus.HEALTHY, stable, null, 4, 0, false, "promoted " + engineImage(stable)
        + " to stable"));
  }

  private static Optional<RolloutStatus> canary(long stable, long canary, int step, int weight) {
    return Optional.of(status(RolloutStatus.PROGRESSING, stable, canary, step, weight, false, "step " + step
        + "/4: canary weight " + weight + "%"));
  }

  @Test
  void succeedsOnceTheReleasedDigestIsStableWithNoCanaryReportingEachChangeOnce() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    script.addAll(List.of(healthy(1), canary(1, 2, 1, 10), canary(1, 2, 1, 10), canary(1, 2, 3, 25),
        canary(1, 2, 3, 25), healthy(2)));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).isEmpty();
    assertThat(result.values()).containsExactly(Map.entry("stable", builtRun(2).value(BuildImageStage.NAME,
        BuildImageStage.IMAGE).orElseThrow()));
    assertThat(result.message()).isEqualTo("promoted to stable in production");
    assertThat(events).containsExactly(
        "waiting for the engine to pick it up (Healthy: promoted " + engineImage(1) + " to stable)",
        "Progressing step 1/4, canary weight 10%: step 1/4: canary weight 10%",
        "Progressing step 3/4, canary weight 25%: step 3/4: canary weight 25%");
    assertThat(calls).isEqualTo(6);
  }

  @Test
  void endsAbortedWhenTheEngineAbortedTheCanaryWithTheRunsDigest() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    script.addAll(List.of(canary(1, 2, 1, 10), Optional.of(status(RolloutStatus.DEGRADED, 1L, 2L, 2, 0, true,
        "aborted " + engineImage(2) + ": error-rate 0.2 > 0.01"))));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).contains(PipelineRun.Outcome.ABORTED);
    assertThat(result.message()).isEqualTo("canary aborted: aborted " + engineImage(2) + ": error-rate 0.2 > 0.01");
  }

  @Test
  void anAbortedCanaryOfAnotherImageDoesNotEndTheRun() throws Exception {
    repo.release(APP, 2);
    script.addAll(List.of(Optional.of(status(RolloutStatus.DEGRADED, 1L, 3L, 2, 0, true, "aborted 3")), healthy(2)));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).isEmpty();
  }

  @Test
  void endsAbortedWhenGitsNewestEventAfterTheReleaseIsItsRollback() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    repo.writer().rollback(new RollbackRequest(APP, GitOpsRepo.ENVIRONMENT, 1L, "canary aborted: error-rate 0.2",
        "clicks-2", GitOpsRepo.PIPELINE));
    // After a restart the engine shows only the stable: the aborted canary is gone, and with it the abort.
    script.add(healthy(1));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).contains(PipelineRun.Outcome.ABORTED);
    assertThat(result.message()).isEqualTo("rolled back in git to version 1: canary aborted: error-rate 0.2");
  }

  @Test
  void endsSupersededWhenANewerReleaseOfAnotherImageIsNewestBeforeItsCanaryStarted() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    repo.release(APP, 3);
    script.add(canary(1, 3, 1, 10));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).contains(PipelineRun.Outcome.SUPERSEDED);
    assertThat(result.message()).isEqualTo("replaced in git by release of version 3 before its canary started");
  }

  @Test
  void endsSupersededWhileItsCanaryRuns() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    repo.release(APP, 3);
    script.add(canary(1, 2, 1, 10));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).contains(PipelineRun.Outcome.SUPERSEDED);
    assertThat(result.message()).isEqualTo("replaced in git by release of version 3 while its canary ran");
  }

  @Test
  void aReleaseNotYetVisibleInGitIsWaitedForRatherThanTakenAsReplaced() throws Exception {
    repo.release(APP, 1);
    clock.step = Duration.ofSeconds(2);
    script.addAll(List.of(healthy(1), healthy(1), healthy(1), healthy(1), healthy(1), healthy(1), healthy(2)));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).isEmpty();
    assertThat(calls).isEqualTo(7);
  }

  @Test
  void anEditOfTheOverlayAfterTheReleaseDoesNotEndTheRun() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    repo.humanCommit("production: allow thirty pods", Map.of("apps/clicks/overlays/production/hpa-production.yaml",
        "# Production runs at least three pods and may grow to thirty.\napiVersion: autoscaling/v2\n"
            + "kind: HorizontalPodAutoscaler\nmetadata:\n  name: clicks\nspec:\n  minReplicas: 3\n"
            + "  maxReplicas: 30\n"));
    script.addAll(List.of(canary(1, 2, 1, 10), healthy(2)));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).as(result.message()).isEmpty();
    assertThat(result.message()).isEqualTo("promoted to stable in production");
  }

  @Test
  void anEditAfterTheRollbackStillEndsTheRunAborted() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    repo.writer().rollback(new RollbackRequest(APP, GitOpsRepo.ENVIRONMENT, 1L, "canary aborted: latency",
        "clicks-2", GitOpsRepo.PIPELINE));
    repo.humanCommit("production: allow thirty pods", Map.of("apps/clicks/overlays/production/hpa-production.yaml",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: clicks\nspec:\n"
            + "  maxReplicas: 30\n"));
    script.add(healthy(1));

    Stage.Result result = follow(builtRun(2));

    assertThat(result.finish()).contains(PipelineRun.Outcome.ABORTED);
    assertThat(result.message()).isEqualTo("rolled back in git to version 1: canary aborted: latency");
  }

  @Test
  void theDeadlinePassingFailsTheRunNamingThePhaseAndWhatToDo() throws Exception {
    repo.release(APP, 1);
    repo.release(APP, 2);
    clock.step = Duration.ofMinutes(1);
    script.add(Optional.of(new RolloutStatus(APP, RolloutStatus.PAUSED, 4, 7, engineImage(1), engineImage(2), 25,
        List.of(new RolloutStatus.PauseCondition(RolloutStatus.PauseCondition.CANARY_PAUSE_STEP, T0)), false,
        "step 5: paused until promoted", Optional.empty(), Optional.empty(), T0, null, null)));

    assertThatThrownBy(() -> stage(Duration.ofMinutes(10)).run(builtRun(2), events::add))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clicks did not finish its rollout in production within 10 min (Paused: step 5: paused until "
            + "promoted); the rollout goes on: promote or abort it");
    assertThat(calls).isEqualTo(10);
  }

  @Test
  void theDeadlinePassingWhileTheEngineDoesNotRunTheAppSaysSo() throws Exception {
    repo.release(APP, 2);
    clock.step = Duration.ofSeconds(10);
    script.add(Optional.empty());

    assertThatThrownBy(() -> stage(Duration.ofSeconds(30)).run(builtRun(2), events::add))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("clicks did not finish its rollout in production within 30 s (the engine does not run it); "
            + "the rollout goes on: promote or abort it");
  }

  @Test
  void aRunWithoutABuiltImageIsRefused() {
    PipelineRun run = PipelineRun.fold(List.of(new JournalEntry(1, T0, "clicks-9", JournalEntry.Type.CREATED, APP,
        9L, GitOpsRepo.digest("package"), null, null, null, null))).get(0);

    assertThatThrownBy(() -> follow(run)).isInstanceOf(IllegalStateException.class)
        .hasMessage("run clicks-9 has no built image to follow");
    assertThat(calls).isZero();
  }

  /** A clock the engine stand-in moves by {@code step} on each call. */
  static final class StepClock extends Clock {
    volatile Instant now = T0;
    volatile Duration step = Duration.ZERO;

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
}
