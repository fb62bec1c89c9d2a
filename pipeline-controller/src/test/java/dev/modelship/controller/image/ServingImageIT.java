package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.oci.DistributionRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built image actually serves: on a Java 17 base made from Debian packages (no registry on the internet),
 * pushed to a local registry, pulled and run by podman, it answers a V2 inference through the published port with
 * what ONNX Runtime computes in-process for the same model.
 */
class ServingImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[][] ROWS = {{0.1f, 0.2f, 0.3f, 0.4f}, {1f, -1f, 2f, -2f}};

  @TempDir
  Path dir;

  @Test
  void theImageServesACorrectV2InferenceThroughThePublishedPort() throws Exception {
    try (DistributionRegistry registry = DistributionRegistry.start(dir.resolve("registry"))) {
      String base = JreBaseImage.pushedTo(registry);
      RuntimeDistribution runtime = RuntimeDistribution.locate(Map.of(), Path.of(""),
          RuntimeDistribution.controllerCode());
      ImageBuilder builder = new ImageBuilder(runtime, new BaseImages(null, null), Map.of(), dir.resolve("home"),
          dir.resolve("jib-cache"), "test");
      ImageRequest request = ImagePackages.request(dir, "clicks", 1,
          ImageTarget.parse(registry.authority() + "/serving"), base)
          .withInsecureRegistries(Set.of(registry.authority()));
      ImageRef image = builder.build(request);

      Podman.run(Duration.ofMinutes(5), "pull", "--tls-verify=false", image.pinned());
      int port = freePort();
      String container = Podman.start(image.pinned(), port);
      try {
        HttpClient http = HttpClient.newHttpClient();
        await("the serving runtime in the container is ready").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .until(() -> get(http, port, "/v2/health/ready").statusCode() == 200);

        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v2/models/clicks/infer")).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
            "inputs", java.util.List.of(Map.of("name", "input", "shape", java.util.List.of(2, 4), "datatype", "FP32",
                "data", ROWS)))))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(reply.body());
        assertThat(body.path("model_version").asText()).isEqualTo("1");
        JsonNode output = body.path("outputs").get(0);
        assertThat(output.path("shape").toString()).isEqualTo("[2,2]");
        float[][] expected = inProcess(request.pkg().modelFile());
        for (int i = 0; i < 4; i++) {
          assertThat(output.path("data").get(i).floatValue()).isCloseTo(expected[i / 2][i % 2], within(1e-6f));
        }
        assertThat(Podman.run(Duration.ofMinutes(1), "exec", container, "id", "-u").trim()).isEqualTo("65532");
        JsonNode metadata = JSON.readTree(get(http, port, "/v2/models/clicks").body());
        assertThat(metadata.path("parameters").path("sha256").asText())
            .isEqualTo(request.pkg().fileDigests().get("model.onnx").substring("sha256:".length()));
      } finally {
        Podman.quietly("rm", "--force", container);
        Podman.quietly("rmi", "--force", image.pinned());
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static float[][] inProcess(Path model) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString());
         OnnxTensor input = OnnxTensor.createTensor(env, ROWS);
         OrtSession.Result result = session.run(Map.of("input", input))) {
      return (float[][]) result.get("output").orElseThrow().getValue();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
