package dev.modelship.controller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelship.controller.registry.ModelVersionRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRunnerTest {
  @TempDir
  Path dir;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private PipelineRunner runner;

  @AfterEach
  void close() throws Exception {
    gates.values().forEach(CountDownLatch::countDown);
    if (runner != null) {
      runner.close();
    }
  }

  /** A stage that records its call, waits at its gate if one is set for the run, and returns what {@code body} says. */
  private Stage stage(String name, Function<PipelineRun, Stage.Result> body) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result run(PipelineRun run, EventSink events) throws Exception {
        calls.add(name + ":" + run.id());
        CountDownLatch gate = gates.get(name + ":" + run.id());
        if (gate != null) {
          gate.await(30, TimeUnit.SECONDS);
        }
        events.event(name + " did its work");
        return body.apply(run);
      }
    };
  }

  private Stage passing(String name) {
    return stage(name, run -> Stage.Result.next(Map.of(name + "-result", "for " + run.id()), name + " ok"));
  }

  private PipelineRunner start(List<Stage> stages) throws Exception {
    runner = new PipelineRunner(PipelineJournal.open(dir.resolve("journal.jsonl")), stages, Clock.systemUTC(),
        (run, entry) -> { });
    runner.start();
    return runner;
  }

  private PipelineRun awaitFinished(String id) {
    await().atMost(Duration.ofSeconds(10)).until(() -> runner.run(id).map(PipelineRun::finished).orElse(false));
    return runner.run(id).orElseThrow();
  }

  @Test
  void runsTheStagesInOrderAndRecordsTheirResults() throws Exception {
    start(List.of(passing("validate"), passing("build"), passing("release")));
    runner.submit(new ModelVersionRef("clicks", 1), "sha256:aa");
    PipelineRun run = awaitFinished("clicks-1");
    assertThat(run.outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    assertThat(calls).containsExactly("validate:clicks-1", "build:clicks-1", "release:clicks-1");
    assertThat(run.value("build", "build-result")).contains("for clicks-1");
    assertThat(run.events()).hasSize(3);
    List<JournalEntry> journal = PipelineJournal.read(dir.resolve("journal.jsonl"));
    assertThat(journal).extracting(JournalEntry::type).startsWith(JournalEntry.Type.CREATED,
        JournalEntry.Type.STAGE_STARTED, JournalEntry.Type.EVENT, JournalEntry.Type.STAGE_SUCCEEDED)
        .endsWith(JournalEntry.Type.FINISHED);
    assertThat(journal).extracting(JournalEntry::sequence).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aStageCanEndTheRunAndAFailingStageFailsIt() throws Exception {
    start(List.of(stage("validate", run -> run.ref().version() == 2
            ? Stage.Result.end(PipelineRun.Outcome.REJECTED, Map.of(), "quality.accuracy 0.58 < 0.68")
            : Stage.Result.next(Map.of(), "ok")),
        stage("build", run -> {
          throw new IllegalStateException("registry unreachable");
        })));
    runner.submit(new ModelVersionRef("a", 2), "sha256:bb");
    runner.submit(new ModelVersionRef("b", 1), "sha256:cc");
    assertThat(awaitFinished("a-2").outcome()).contains(PipelineRun.Outcome.REJECTED);
    assertThat(runner.run("a-2").orElseThrow().outcomeMessage()).contains("quality.accuracy");
    PipelineRun failed = awaitFinished("b-1");
    assertThat(failed.outcome()).contains(PipelineRun.Outcome.FAILED);
    assertThat(failed.outcomeMessage()).isEqualTo("build failed: registry unreachable");
    assertThat(calls).doesNotContain("build:a-2");
  }

  @Test
  void aVersionGetsExactlyOneRun() throws Exception {
    start(List.of(passing("validate")));
    PipelineRun first = runner.submit(new ModelVersionRef("clicks", 1), "sha256:aa");
    PipelineRun again = runner.submit(new ModelVersionRef("clicks", 1), "sha256:aa");
    assertThat(again).isSameAs(first);
    awaitFinished("clicks-1");
    assertThat(calls).containsExactly("validate:clicks-1");
  }

  @Test
  void versionsOfOneModelQueueAndANewerOneSupersedesAWaitingOlderOne() throws Exception {
    gates.put("rollout:clicks-1", new CountDownLatch(1));
    start(List.of(passing("validate"), passing("rollout")));
    runner.submit(new ModelVersionRef("clicks", 1), "sha256:01");
    await().until(() -> calls.contains("rollout:clicks-1"));
    runner.submit(new ModelVersionRef("clicks", 2), "sha256:02");
    runner.submit(new ModelVersionRef("clicks", 3), "sha256:03");
    runner.submit(new ModelVersionRef("other", 1), "sha256:04");
    assertThat(awaitFinished("other-1").outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    assertThat(awaitFinished("clicks-2").outcome()).contains(PipelineRun.Outcome.SUPERSEDED);
    assertThat(runner.run("clicks-1").orElseThrow().finished()).isFalse();
    gates.get("rollout:clicks-1").countDown();
    assertThat(awaitFinished("clicks-3").outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    assertThat(calls).doesNotContain("validate:clicks-2");
  }

  @Test
  void withInterruptibleRolloutsANewerVersionStartsWhileTheOlderOneIsInItsRollout() throws Exception {
    // the "rollout" of clicks-1 waits at its gate until the newer run's release replaces it, as in git
    gates.put("rollout:clicks-1", new CountDownLatch(1));
    gates.put("validate:clicks-2", new CountDownLatch(1));
    Stage release = stage("release", run -> {
      if (run.id().equals("clicks-2")) {
        gates.get("rollout:clicks-1").countDown();
      }
      return Stage.Result.next(Map.of(), "released");
    });
    Stage rollout = stage("rollout", run -> run.id().equals("clicks-1")
        ? Stage.Result.end(PipelineRun.Outcome.SUPERSEDED, Map.of(), "replaced in git by clicks:2")
        : Stage.Result.next(Map.of(), "promoted"));
    runner = new PipelineRunner(PipelineJournal.open(dir.resolve("journal.jsonl")),
        List.of(passing("validate"), release, rollout), Clock.systemUTC(), (run, entry) -> { },
        stage -> stage.equals("rollout"));
    runner.start();
    runner.submit(new ModelVersionRef("clicks", 1), "sha256:01");
    await().until(() -> calls.contains("rollout:clicks-1"));
    runner.submit(new ModelVersionRef("clicks", 2), "sha256:02");
    // clicks-2 starts although clicks-1 has not finished
    await().until(() -> calls.contains("validate:clicks-2"));
    assertThat(runner.run("clicks-1").orElseThrow().finished()).isFalse();
    gates.get("validate:clicks-2").countDown();
    assertThat(awaitFinished("clicks-1").outcome()).contains(PipelineRun.Outcome.SUPERSEDED);
    assertThat(awaitFinished("clicks-2").outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    assertThat(calls).containsSubsequence("rollout:clicks-1", "validate:clicks-2", "release:clicks-2",
        "rollout:clicks-2");
  }

  @Test
  void withoutInterruptibleStagesANewerVersionWaitsForTheRolloutToFinish() throws Exception {
    gates.put("rollout:clicks-1", new CountDownLatch(1));
    start(List.of(passing("validate"), passing("rollout")));
    runner.submit(new ModelVersionRef("clicks", 1), "sha256:01");
    await().until(() -> calls.contains("rollout:clicks-1"));
    runner.submit(new ModelVersionRef("clicks", 2), "sha256:02");
    // other work proves the runner is alive while clicks-2 still waits
    runner.submit(new ModelVersionRef("other", 1), "sha256:03");
    awaitFinished("other-1");
    assertThat(calls).doesNotContain("validate:clicks-2");
    gates.get("rollout:clicks-1").countDown();
    assertThat(awaitFinished("clicks-1").outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    assertThat(awaitFinished("clicks-2").outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    assertThat(calls).containsSubsequence("rollout:clicks-1", "validate:clicks-2");
  }

  @Test
  void aRestartResumesUnfinishedRunsWithoutRedoingSucceededStages() throws Exception {
    gates.put("release:clicks-1", new CountDownLatch(1));
    start(List.of(passing("validate"), passing("build"), passing("release")));
    runner.submit(new ModelVersionRef("clicks", 1), "sha256:aa");
    await().until(() -> calls.contains("release:clicks-1"));
    runner.close(); // the controller stops while the release stage runs
    runner = null;
    calls.clear();
    gates.clear();

    start(List.of(passing("validate"), passing("build"), passing("release")));
    PipelineRun run = awaitFinished("clicks-1");
    assertThat(run.outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    assertThat(calls).containsExactly("release:clicks-1");
    assertThat(run.value("build", "build-result")).contains("for clicks-1");
  }

  @Test
  void aTornLastLineFromACrashIsIgnored() throws Exception {
    start(List.of(passing("validate")));
    runner.submit(new ModelVersionRef("clicks", 1), "sha256:aa");
    awaitFinished("clicks-1");
    runner.close();
    runner = null;
    Files.writeString(dir.resolve("journal.jsonl"), "{\"sequence\":99,\"run\":\"clic", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    start(List.of(passing("validate")));
    assertThat(runner.run("clicks-1").orElseThrow().outcome()).contains(PipelineRun.Outcome.SUCCEEDED);
    runner.submit(new ModelVersionRef("clicks", 2), "sha256:bb");
    awaitFinished("clicks-2");
    runner.close();
    runner = null;
    assertThat(PipelineRun.fold(PipelineJournal.read(dir.resolve("journal.jsonl")))).hasSize(2)
        .allSatisfy(run -> assertThat(run.outcome()).contains(PipelineRun.Outcome.SUCCEEDED));
  }
}
