package dev.modelship.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.modelship.serving.testing.HttpJson;
import dev.modelship.serving.testing.OnnxGraph;
import dev.modelship.serving.testing.ServerFixture;
import dev.modelship.serving.testing.TestModels;
import dev.modelship.serving.testing.V2Requests;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The V1 (TF Serving / KServe V1) row format over a real socket. */
class V1ProtocolIT {
  @TempDir
  static Path repo;
  static ServerFixture server;
  static HttpJson http;

  @BeforeAll
  static void start() throws Exception {
    TestModels.logistic(repo, "clicks", 1, 1);
    TestModels.logistic(repo, "clicks", 2, 2);
    Files.writeString(repo.resolve("clicks/model.yaml"), "version_policy: all\n");
    new OnnxGraph()
        .input("x", DataType.FLOAT, OnnxGraph.DYNAMIC, 2, 2)
        .output("positive", DataType.FLOAT, OnnxGraph.DYNAMIC, 2, 2)
        .output("negated", DataType.FLOAT, OnnxGraph.DYNAMIC, 2, 2)
        .node("Relu", "x", "positive")
        .node("Neg", "x", "negated")
        .writeTo(TestModels.versionDir(repo, "split", 1).resolve("model.onnx"));
    server = ServerFixture.start(repo);
    http = server.http();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void predictGivesOnePredictionPerInstanceEqualToV2() {
    float[][] rows = {{0.5f, -1f, 2f, 0f}, {1f, 1f, 1f, 1f}};
    JsonNode v1 = http.post("/v1/models/clicks:predict", "{\"instances\": [[0.5, -1, 2, 0], [1, 1, 1, 1]]}").json();
    JsonNode v2 = http.post("/v2/models/clicks/infer", V2Requests.fp32("input", rows)).json();
    JsonNode predictions = v1.get("predictions");
    assertThat(predictions).hasSize(2);
    JsonNode flat = v2.at("/outputs/0/data");
    assertThat(predictions.get(0).toString()).isEqualTo("[" + flat.get(0) + "," + flat.get(1) + "]");
    assertThat(predictions.get(1).toString()).isEqualTo("[" + flat.get(2) + "," + flat.get(3) + "]");
  }

  @Test
  void instancesMayNameTheInput() {
    JsonNode named = http.post("/v1/models/clicks:predict", "{\"instances\": [{\"input\": [0.5, -1, 2, 0]}]}").json();
    JsonNode plain = http.post("/v1/models/clicks:predict", "{\"instances\": [[0.5, -1, 2, 0]]}").json();
    assertThat(named).isEqualTo(plain);
  }

  @Test
  void versionedPredictUsesThatVersion() {
    String body = "{\"instances\": [[0.5, -1, 2, 0]]}";
    JsonNode v1 = http.post("/v1/models/clicks/versions/1:predict", body).json();
    JsonNode v2 = http.post("/v1/models/clicks/versions/2:predict", body).json();
    assertThat(v1).isNotEqualTo(v2);
    assertThat(http.post("/v1/models/clicks:predict", body).json()).isEqualTo(v2);
  }

  @Test
  void nestedInstancesAndSeveralOutputsComeBackPerRowByOutputName() {
    JsonNode predictions = http.post("/v1/models/split:predict",
        "{\"instances\": [[[1, -2], [3, -4]]]}").json().get("predictions");
    assertThat(predictions.toString())
        .isEqualTo("[{\"positive\":[[1.0,0.0],[3.0,0.0]],\"negated\":[[-1.0,2.0],[-3.0,4.0]]}]");
  }

  @Test
  void modelStatusListsServedVersions() {
    JsonNode status = http.get("/v1/models/clicks").json().get("model_version_status");
    assertThat(status).hasSize(2);
    assertThat(status.get(0).get("version").asText()).isEqualTo("1");
    assertThat(status.get(1).get("state").asText()).isEqualTo("AVAILABLE");
    assertThat(http.get("/v1/models/clicks/versions/2").json().get("model_version_status")).hasSize(1);
  }
}
