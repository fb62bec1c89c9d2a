package dev.modelship.controller.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.image.JreBaseImage;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelRegistries;
import dev.modelship.controller.registry.oci.DistributionRegistry;
import dev.modelship.controller.rollout.local.PodmanInstanceLauncherAccess;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelship up --engine podman --image-repository} as a process (the packaged jar), end to end: a pushed
 * version is validated, built on a real Java 17 base (Debian packages, see {@link JreBaseImage}) pulled from a real
 * local registry over plain HTTP ({@code --insecure-registry}), pushed to that registry, released by digest, pulled
 * back by the local engine, and run as a podman container that answers inference
 * through the app's router; SIGTERM stops the controller with status 0 and removes the container. Needs podman,
 * runc, debootstrap and Debian's docker-registry (scripts/test installs them).
 */
class UpPodmanIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private UpProcesses ups;

  @BeforeEach
  void processes() {
    ups = new UpProcesses(dir);
  }

  @AfterEach
  void stop() throws Exception {
    ups.close();
    List<String> left = containers();
    if (!left.isEmpty()) {
      List<String> remove = new ArrayList<>(List.of("podman", "rm", "--force", "--ignore"));
      remove.addAll(left);
      new ProcessBuilder(remove).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void upRunsAPushedVersionAsAPodmanContainerOnAJavaBaseFromALocalRegistry() throws Exception {
    try (DistributionRegistry registry = DistributionRegistry.start(Files.createDirectories(dir.resolve("oci")))) {
      String base = JreBaseImage.pushedTo(registry);
      Path csv = dir.resolve("clicks.csv");
      ClickData.writeCsv(csv, ClickData.generate(42, 3000, 0));
      var pkg = new Trainer(message -> { }).train(csv, ClickData.LABEL, "clicks",
          TrainingOptions.defaults().withSeed(42).withOutput(dir.resolve("pkg"))).pkg();
      ModelRegistries.publishAsNextVersion(new FileSystemModelRegistry(dir.resolve("home/registry")), "clicks", pkg);

      Process up = ups.start("up.log", Map.of(), "--engine", "podman", "--base", base, "--insecure-registry",
          registry.authority(), "--image-repository", registry.authority() + "/serving", "--environments",
          "production", "--port", "0", "--app-port", "0");
      String api = ups.awaitApi();
      JsonNode run = ups.await(api + "/api/runs/clicks-1", r -> !"RUNNING".equals(r.path("outcome").asText()),
          "run clicks-1 to finish");
      assertThat(run.path("outcome").asText()).as(run + "\n" + ups.logs()).isEqualTo("SUCCEEDED");

      JsonNode rollout = ups.get(api + "/api/rollouts").get(0);
      assertThat(rollout.path("phase").asText()).isEqualTo("Healthy");
      // built into the registry, released by digest, pulled back by the engine
      assertThat(rollout.path("stableImage").asText()).startsWith(registry.authority() + "/serving")
          .contains("@sha256:");
      assertThat(registry.requests()).anyMatch(request -> request.startsWith("GET /v2/serving/manifests/sha256:"));
      assertThat(containers()).as("containers of this home").hasSize(1);
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(rollout.path("endpoint").asText()
          + "/v2/models/clicks/infer")).POST(HttpRequest.BodyPublishers.ofString(
              "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,8],\"datatype\":\"FP32\",\"data\":[0,1,0,1,0,1,0,1]}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode probabilities = JSON.readTree(answer.body()).path("outputs").get(0).path("data");
      assertThat(probabilities.get(0).asDouble() + probabilities.get(1).asDouble()).isCloseTo(1.0,
          org.assertj.core.data.Offset.offset(1e-4));

      up.destroy(); // SIGTERM: drains and stops the container
      assertThat(up.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(up.exitValue()).as(ups.logs()).isZero();
      assertThat(containers()).as("containers left after SIGTERM").isEmpty();
    }
  }

  private List<String> containers() throws Exception {
    Process ps = new ProcessBuilder("podman", "ps", "--all", "--format", "{{.Names}}", "--filter",
        "label=modelship.dev/home=" + PodmanInstanceLauncherAccess.homeLabel(dir.resolve("home"))).start();
    String names = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor(60, TimeUnit.SECONDS);
    return names.lines().filter(line -> !line.isBlank()).toList();
  }

}
