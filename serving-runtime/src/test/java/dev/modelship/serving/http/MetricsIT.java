package dev.modelship.serving.http;

import static dev.modelship.serving.http.BatchingIT.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.serving.testing.HttpJson;
import dev.modelship.serving.testing.ServerFixture;
import dev.modelship.serving.testing.TestModels;
import dev.modelship.serving.testing.V2Requests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the metric-name contract, bounded labels, and a clean bill from promtool. */
class MetricsIT {
  @TempDir
  static Path repo;
  static ServerFixture server;
  static HttpJson http;

  @BeforeAll
  static void start() throws Exception {
    TestModels.logistic(repo, "clicks", 3, 1);
    server = ServerFixture.start(repo);
    http = server.http();
    String good = V2Requests.fp32("input", new float[][] {{1, 2, 3, 4}}).toString();
    http.post("/v2/models/clicks/infer", good);
    http.post("/v2/models/clicks/infer", good);
    http.post("/v2/models/clicks/infer", "{\"inputs\": 1}");
    http.post("/v1/models/clicks:predict", "{\"instances\": [[1, 2, 3, 4]]}");
    http.post("/v2/models/no-such-model-" + System.nanoTime() + "/infer", good);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void exposesTheContractMetricsWithModelAndVersionLabels() {
    String metrics = http.get("/metrics").body();
    assertThat(sample(metrics, "modelship_requests_total\\{code=\"200\",model=\"clicks\",protocol=\"v2\",version=\"3\"}"))
        .isEqualTo(2);
    assertThat(sample(metrics, "modelship_requests_total\\{code=\"400\",model=\"clicks\",protocol=\"v2\",version=\"3\"}"))
        .isEqualTo(1);
    assertThat(sample(metrics, "modelship_requests_total\\{code=\"200\",model=\"clicks\",protocol=\"v1\",version=\"3\"}"))
        .isEqualTo(1);
    assertThat(sample(metrics, "modelship_request_duration_seconds_count\\{model=\"clicks\",version=\"3\"}"))
        .isEqualTo(4);
    assertThat(sample(metrics, "modelship_queue_duration_seconds_count\\{model=\"clicks\",version=\"3\"}"))
        .isEqualTo(3);
    assertThat(sample(metrics, "modelship_inference_duration_seconds_count\\{model=\"clicks\",version=\"3\"}"))
        .isEqualTo(3);
    assertThat(sample(metrics, "modelship_batch_size_sum\\{model=\"clicks\",version=\"3\"}")).isEqualTo(3);
    assertThat(sample(metrics, "modelship_inflight_requests\\{model=\"clicks\",version=\"3\"}")).isZero();
    assertThat(sample(metrics, "modelship_model_info\\{device=\"cpu\",model=\"clicks\",sha256=\"[0-9a-f]{64}\","
        + "version=\"3\"}")).isEqualTo(1);
    assertThat(metrics).contains("jvm_memory_used_bytes");
  }

  @Test
  void requestsForUnknownModelsAddNoSeries() {
    assertThat(http.get("/metrics").body()).doesNotContain("no-such-model");
  }

  @Test
  void promtoolFindsNothingToComplainAbout() throws Exception {
    byte[] exposition = http.get("/metrics").body().getBytes(StandardCharsets.UTF_8);
    Process promtool = startPromtool();
    promtool.getOutputStream().write(exposition);
    promtool.getOutputStream().close();
    String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(report).as("promtool check metrics").isEmpty();
    assertThat(promtool.exitValue()).isZero();
  }

  @Test
  void answersOpenMetricsWhenAskedFor() {
    HttpJson.Reply reply = http.get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(reply.header("Content-Type")).startsWith("application/openmetrics-text");
    assertThat(reply.body()).contains("# TYPE modelship_requests counter").endsWith("# EOF\n");
    assertThat(http.get("/metrics").header("Content-Type")).startsWith("text/plain");
  }

  /** promtool comes from Debian's prometheus package, which the test script installs. */
  private static Process startPromtool() throws IOException {
    try {
      return new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("promtool is missing: run ./scripts/test, which installs Debian's prometheus package", e);
    }
  }
}
