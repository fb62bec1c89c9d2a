package dev.modelship.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.serving.metrics.ServingMetrics;
import dev.modelship.serving.testing.HttpJson;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

/** Before its models are loaded the server is live but not ready, and says so to inference requests. */
class ReadinessIT {
  @Test
  void liveButNotReadyWhileModelsLoad() {
    ServerState loading = new ServerState();
    Javalin app = ServingApp.create(new ServingApp.Deps(loading, new ServingMetrics(), 1 << 20, "modelship-serving",
        "test")).start("127.0.0.1", 0);
    try {
      HttpJson http = new HttpJson(app.port());
      assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
      HttpJson.Reply ready = http.get("/v2/health/ready");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().get("ready").asBoolean()).isFalse();
      HttpJson.Reply infer = http.post("/v2/models/clicks/infer", "{}");
      assertThat(infer.status()).isEqualTo(503);
      assertThat(infer.header("Retry-After")).isEqualTo("1");
      assertThat(infer.error()).contains("models are still loading");

      loading.modelsLoaded(ServedModels.NONE);
      assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
      assertThat(http.post("/v2/models/clicks/infer", "{}").status()).isEqualTo(404);
    } finally {
      app.stop();
    }
  }
}
