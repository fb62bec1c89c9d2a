package dev.modelship.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draining in-process: readiness drops at once, admitted requests all complete, new ones get 503. */
class DrainIT {
  @TempDir
  Path repo;
  ExecutorService clients = Executors.newFixedThreadPool(24);

  @AfterEach
  void stopClients() {
    clients.shutdownNow();
  }

  @Test
  void drainTurnsReadinessFalseAtOnceAndCompletesEveryAdmittedRequest() throws Exception {
    Path mlp = TestModels.mlp(repo, "mlp", 1, 16, 32, 2, 3, 3);
    try (GatedServer server = new GatedServer(repo, new BatchPolicy(4, Duration.ZERO, 100, 1))) {
      HttpJson http = server.http();
      List<float[][]> inputs = new ArrayList<>();
      List<CompletableFuture<HttpJson.Reply>> admitted = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        float[][] rows = V2ProtocolIT.randomRows(1, 16, i);
        inputs.add(rows);
        admitted.add(CompletableFuture.supplyAsync(
            () -> http.post("/v2/models/mlp/infer", V2Requests.fp32("input", rows)), clients));
      }
      server.awaitFirstRunHeld();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.state().admittedRequests() == 20);

      CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
        try {
          return server.state().drain(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> http.get("/v2/health/ready").status() == 503);
      assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
      HttpJson.Reply late = http.post("/v2/models/mlp/infer", V2Requests.fp32("input", inputs.get(0)));
      assertThat(late.status()).isEqualTo(503);
      assertThat(late.error()).contains("draining");
      assertThat(drained).isNotDone();

      server.openGate();
      assertThat(drained.get()).isTrue();
      for (int i = 0; i < admitted.size(); i++) {
        HttpJson.Reply reply = admitted.get(i).get();
        assertThat(reply.status()).isEqualTo(200);
        V2ProtocolIT.assertMatches(reply.json().at("/outputs/0/data"), InProcessOrt.run(mlp, "input", inputs.get(i)));
      }
    }
  }
}
