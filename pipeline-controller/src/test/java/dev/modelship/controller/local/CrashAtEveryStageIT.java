package dev.modelship.controller.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelRegistries;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelship up} as a process (the packaged jar), made to crash like {@code kill -9} (see {@link HaltPoint})
 * before and after every stage of one run - validate, build image, release to staging, rollout in staging, promote
 * to production, rollout in production - and started again each time. Each restart resumes the run from the stage
 * that had not been journaled as done; at the end the run has succeeded with every stage done exactly once, git
 * holds exactly one release commit and one promotion, one image was stored, and the serving instances the crashed
 * controllers left behind were stopped.
 */
class CrashAtEveryStageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final String[] UP = {"--port", "0", "--app-port", "0", "--environments", "staging,production"};
  private static final List<String> STAGES = List.of("validate", "build-image", "release-staging", "rollout-staging",
      "promote-production", "rollout-production");

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private UpProcesses ups;

  @BeforeEach
  void processes() {
    ups = new UpProcesses(dir);
  }

  @AfterEach
  void stopProcesses() throws Exception {
    ups.close();
  }

  @Test
  void aRunSurvivesACrashBeforeAndAfterEveryStageWithNothingDoneTwice() throws Exception {
    publishFirstVersion();
    Set<Long> leftBehind = new HashSet<>();
    int crash = 0;
    for (String stage : STAGES) {
      for (String when : List.of("before", "after")) {
        crash++;
        Process up = ups.start("crash-" + crash + ".log", Map.of(HaltPoint.VARIABLE, stage + ":" + when), UP);
        assertThat(up.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("halts %s %s", when, stage).isTrue();
        String log = Files.readString(dir.resolve("crash-" + crash + ".log"));
        assertThat(up.exitValue()).as(log).isEqualTo(HaltPoint.STATUS);
        assertThat(log).contains("MODELSHIP_HALT_AT: halting " + when + " " + stage + " of clicks-1");
        leftBehind.addAll(ups.instancePids());
      }
    }
    assertThat(leftBehind).as("serving instances left running by the crashed controllers").isNotEmpty();

    ups.start("final.log", Map.of(), UP);
    String api = ups.awaitApi();
    JsonNode run = ups.await(api + "/api/runs/clicks-1", r -> !"RUNNING".equals(r.path("outcome").asText()),
        "run clicks-1 to finish");
    assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");

    // The journal: one run, and each stage started three times (halted before, halted after, done) but done once.
    Map<String, Integer> started = new HashMap<>();
    Map<String, Integer> succeeded = new HashMap<>();
    int created = 0;
    for (String line : Files.readAllLines(dir.resolve("home/pipeline/journal.jsonl"))) {
      JsonNode entry = JSON.readTree(line);
      switch (entry.path("type").asText()) {
        case "CREATED" -> created++;
        case "STAGE_STARTED" -> started.merge(entry.path("stage").asText(), 1, Integer::sum);
        case "STAGE_SUCCEEDED" -> succeeded.merge(entry.path("stage").asText(), 1, Integer::sum);
        case "STAGE_FAILED" -> throw new AssertionError("a stage failed: " + line);
        default -> { }
      }
    }
    assertThat(created).isEqualTo(1);
    for (String stage : STAGES) {
      assertThat(started.get(stage)).as("starts of " + stage).isEqualTo(3);
      assertThat(succeeded.get(stage)).as("successes of " + stage).isEqualTo(1);
    }

    // Git: exactly one release to staging and one promotion to production, both of the one image built.
    String image = null;
    for (JsonNode stage : run.path("stages")) {
      if (stage.path("values").has("image")) {
        image = stage.path("values").path("image").asText();
      }
    }
    assertThat(image).startsWith("modelship.local/serving@sha256:");
    JsonNode staging = ups.get(api + "/api/history/clicks?env=staging");
    assertThat(staging).as(staging.toString()).hasSize(1);
    assertThat(staging.get(0).path("action").asText()).isEqualTo("RELEASE");
    assertThat(staging.get(0).path("image").asText()).isEqualTo(image);
    JsonNode production = ups.get(api + "/api/history/clicks?env=production");
    assertThat(production).as(production.toString()).hasSize(1);
    assertThat(production.get(0).path("action").asText()).isEqualTo("PROMOTE");
    assertThat(production.get(0).path("image").asText()).isEqualTo(image);
    try (Stream<Path> archives = Files.list(dir.resolve("home/images"))) {
      assertThat(archives.filter(p -> p.toString().endsWith(".tar")).toList()).hasSize(1);
    }

    // What runs: one instance per environment, serving the image; everything the crashed controllers left, stopped.
    JsonNode rollouts = ups.get(api + "/api/rollouts");
    assertThat(rollouts).hasSize(2);
    for (JsonNode rollout : rollouts) {
      assertThat(rollout.path("phase").asText()).as(rollout.toString()).isEqualTo("Healthy");
      assertThat(rollout.path("stableImage").asText()).isEqualTo(image);
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(rollout.path("endpoint").asText()
          + "/v2/models/clicks/infer")).POST(HttpRequest.BodyPublishers.ofString(
              "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,8],\"datatype\":\"FP32\",\"data\":[0,1,0,1,0,1,0,1]}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    List<Long> running = ups.instancePids();
    assertThat(running).hasSize(2);
    for (long pid : leftBehind) {
      if (!running.contains(pid)) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("instance " + pid).isFalse();
      }
    }
    assertThat(running).doesNotContainAnyElementsOf(leftBehind);
  }

  private void publishFirstVersion() throws Exception {
    Path csv = dir.resolve("clicks.csv");
    ClickData.writeCsv(csv, ClickData.generate(42, 3000, 0));
    var pkg = new Trainer(message -> { }).train(csv, ClickData.LABEL, "clicks",
        TrainingOptions.defaults().withSeed(42).withOutput(dir.resolve("pkg"))).pkg();
    ModelRegistries.publishAsNextVersion(new FileSystemModelRegistry(dir.resolve("home/registry")), "clicks", pkg);
  }

}
