package dev.modelship.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelship.serving.batching.BatchPolicy;
import dev.modelship.serving.testing.GatedServer;
import dev.modelship.serving.testing.HttpJson;
import dev.modelship.serving.testing.InProcessOrt;
import dev.modelship.serving.testing.TestModels;
import dev.modelship.serving.testing.V2Requests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching over HTTP with real ONNX Runtime: stacking, routing results back, and queue limits. */
class BatchingIT {
  @TempDir
  Path repo;
  Path mlp;
  ExecutorService clients = Executors.newFixedThreadPool(40);

  @BeforeEach
  void models() throws Exception {
    mlp = TestModels.mlp(repo, "mlp", 1, 16, 32, 2, 3, 3);
  }

  @AfterEach
  void stopClients() {
    clients.shutdownNow();
  }

  @Test
  void concurrentRequestsRunAsOneBatchAndEachCallerGetsItsOwnResult() throws Exception {
    try (GatedServer server = new GatedServer(repo, new BatchPolicy(64, Duration.ZERO, 100, 1))) {
      HttpJson http = server.http();
      float[][] first = V2ProtocolIT.randomRows(1, 16, 100);
      CompletableFuture<JsonNode> held = CompletableFuture.supplyAsync(
          () -> http.post("/v2/models/mlp/infer", V2Requests.fp32("input", first)).json(), clients);
      server.awaitFirstRunHeld();

      int callers = 30;
      List<float[][]> inputs = new ArrayList<>();
      List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        float[][] rows = V2ProtocolIT.randomRows(1 + i % 3, 16, i);
        inputs.add(rows);
        replies.add(CompletableFuture.supplyAsync(
            () -> http.post("/v2/models/mlp/infer", V2Requests.fp32("input", rows)).json(), clients));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> server.batcher("mlp").waitingJobs() == callers);
      server.openGate();

      V2ProtocolIT.assertMatches(held.get().at("/outputs/0/data"), InProcessOrt.run(mlp, "input", first));
      for (int i = 0; i < callers; i++) {
        V2ProtocolIT.assertMatches(replies.get(i).get().at("/outputs/0/data"),
            InProcessOrt.run(mlp, "input", inputs.get(i)));
      }
      String metrics = http.get("/metrics").body();
      double runs = sample(metrics, "modelship_batch_size_count\\{model=\"mlp\",version=\"1\"}");
      double rows = sample(metrics, "modelship_batch_size_sum\\{model=\"mlp\",version=\"1\"}");
      assertThat(rows).isEqualTo(1 + inputs.stream().mapToInt(r -> r.length).sum());
      assertThat(runs).as("30 queued requests, 60 rows, at most 64 per run").isEqualTo(2);
      assertThat(sample(metrics, "modelship_batch_size_bucket\\{model=\"mlp\",version=\"1\",le=\"1\\.0\"}"))
          .isEqualTo(1);
    }
  }

  @Test
  void aFullQueueRejectsAtOnceWith503AndRetryAfter() throws Exception {
    try (GatedServer server = new GatedServer(repo, new BatchPolicy(64, Duration.ZERO, 4, 1))) {
      HttpJson http = server.http();
      String body = V2Requests.fp32("input", V2ProtocolIT.randomRows(1, 16, 1)).toString();
      List<CompletableFuture<HttpJson.Reply>> accepted = new ArrayList<>();
      accepted.add(CompletableFuture.supplyAsync(() -> http.post("/v2/models/mlp/infer", body), clients));
      server.awaitFirstRunHeld();
      for (int i = 0; i < 4; i++) {
        accepted.add(CompletableFuture.supplyAsync(() -> http.post("/v2/models/mlp/infer", body), clients));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> server.batcher("mlp").waitingJobs() == 4);

      HttpJson.Reply rejected = http.post("/v2/models/mlp/infer", body);
      assertThat(rejected.status()).isEqualTo(503);
      assertThat(rejected.header("Retry-After")).isEqualTo("1");
      assertThat(rejected.error()).contains("queue full: 4 requests already waiting");

      server.openGate();
      for (CompletableFuture<HttpJson.Reply> reply : accepted) {
        assertThat(reply.get().status()).isEqualTo(200);
      }
      String metrics = http.get("/metrics").body();
      assertThat(sample(metrics, "modelship_requests_total\\{code=\"503\",model=\"mlp\",protocol=\"v2\",version=\"1\"}"))
          .isEqualTo(1);
      assertThat(sample(metrics, "modelship_requests_total\\{code=\"200\",model=\"mlp\",protocol=\"v2\",version=\"1\"}"))
          .isEqualTo(5);
    }
  }

  static double sample(String exposition, String seriesRegex) {
    Matcher matcher = Pattern.compile("(?m)^" + seriesRegex + " (\\S+)$").matcher(exposition);
    if (!matcher.find()) {
      throw new AssertionError("no series " + seriesRegex + " in\n" + exposition);
    }
    return Double.parseDouble(matcher.group(1));
  }
}
