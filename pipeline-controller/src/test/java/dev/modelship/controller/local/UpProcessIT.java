package dev.modelship.controller.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelRegistries;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelship up} as a process (the packaged jar), killed with SIGKILL in the middle of a canary and started
 * again: the serving runtimes it left behind are stopped, the canary starts its steps again beside the stable it
 * was being compared with (it is not promoted unexamined), the pipeline run resumes and finishes when a human
 * promotes, and SIGTERM stops everything cleanly.
 */
class UpProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] UP = {"--port", "0", "--app-port", "0", "--environments", "production"};
  private static final String CANARY = """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata:
        name: every-rollout
      spec:
        strategy:
          canary:
            steps:
              - setWeight: 30
              - pause: {}
      """;

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
  void aKilledControllerResumesItsCanaryAndRunOnRestart() throws Exception {
    Process first = ups.start("first.log", Map.of(), UP);
    String api = ups.awaitApi();
    commitCanary();
    FileSystemModelRegistry registry = new FileSystemModelRegistry(dir.resolve("home/registry"));
    publish(registry, 42, "v1");
    ups.await(api + "/api/runs/clicks-1", run -> "SUCCEEDED".equals(run.path("outcome").asText()),
        "run clicks-1 to succeed");
    String v1Image = ups.get(api + "/api/rollouts").get(0).path("stableImage").asText();
    assertThat(v1Image).startsWith("modelship.local/serving@sha256:");

    publish(registry, 7, "v2");
    JsonNode paused = ups.await(api + "/api/rollouts", rollouts -> rollouts.size() == 1
        && "Paused".equals(rollouts.get(0).path("phase").asText()) && rollouts.get(0).path("canaryWeight").asInt() == 30,
        "the v2 canary to pause at 30%").get(0);
    String v2Image = paused.path("canaryImage").asText();
    assertThat(paused.path("stableImage").asText()).isEqualTo(v1Image);
    List<Long> leftBehind = ups.instancePids();
    assertThat(leftBehind).hasSize(2);

    first.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
    assertThat(leftBehind).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

    Process second = ups.start("second.log", Map.of(), UP);
    api = ups.awaitApi();
    for (long pid : leftBehind) {
      ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }
    JsonNode again = ups.await(api + "/api/rollouts", rollouts -> rollouts.size() == 1
        && "Paused".equals(rollouts.get(0).path("phase").asText()), "the canary to pause again after the restart")
        .get(0);
    assertThat(again.path("stableImage").asText()).as("stable after restart").isEqualTo(v1Image);
    assertThat(again.path("canaryImage").asText()).isEqualTo(v2Image);
    assertThat(again.path("canaryWeight").asInt()).isEqualTo(30);
    JsonNode run2 = ups.get(api + "/api/runs/clicks-2");
    assertThat(run2.path("outcome").asText()).as(run2.toString()).isEqualTo("RUNNING");
    assertThat(run2.path("stages").get(3).path("status").asText()).isEqualTo("STARTED"); // the rollout stage resumed

    HttpResponse<String> promoted = http.send(HttpRequest.newBuilder(URI.create(api + "/api/rollouts/clicks/promote"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
    ups.await(api + "/api/runs/clicks-2", run -> "SUCCEEDED".equals(run.path("outcome").asText()),
        "run clicks-2 to succeed after the promotion");
    JsonNode healthy = ups.get(api + "/api/rollouts").get(0);
    assertThat(healthy.path("phase").asText()).isEqualTo("Healthy");
    assertThat(healthy.path("stableImage").asText()).isEqualTo(v2Image);

    
    List<Long> running = ups.instancePids();
    second.destroy(); // SIGTERM: drains and stops every instance
    assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();
    assertThat(running).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(ups.instancePids()).isEmpty();
  }

  private void commitCanary() throws Exception {
    Path work = dir.resolve("work");
    try (Git git = Git.cloneRepository().setURI(dir.resolve("home/gitops.git").toUri().toString())
        .setBranch("main").setDirectory(work.toFile()).call()) {
      Files.writeString(work.resolve("rollouts/canary/canary-strategy.yaml"), CANARY, StandardCharsets.UTF_8);
      git.add().addFilepattern(".").call();
      git.commit().setAuthor("t", "t@x").setCommitter("t", "t@x").setMessage("test: one step, paused").call();
      git.push().call();
    }
  }

  private void publish(FileSystemModelRegistry registry, long seed, String name) throws Exception {
    Path csv = dir.resolve(name + ".csv");
    ClickData.writeCsv(csv, ClickData.generate(seed, 3000, 0));
    var pkg = new Trainer(message -> { }).train(csv, ClickData.LABEL, "clicks",
        TrainingOptions.defaults().withSeed(seed).withOutput(dir.resolve("pkg-" + name))).pkg();
    ModelVersionRef ref = ModelRegistries.publishAsNextVersion(registry, "clicks", pkg).version().ref();
    assertThat(ref.versionText()).isEqualTo(name.substring(1));
  }

}
