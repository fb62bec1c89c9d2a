package dev.modelship.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelship.serving.testing.HttpJson;
import dev.modelship.serving.testing.InProcessOrt;
import dev.modelship.serving.testing.ServerFixture;
import dev.modelship.serving.testing.TestModels;
import dev.modelship.serving.testing.V2Requests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Open Inference Protocol over a real socket, against real ONNX Runtime sessions. */
class V2ProtocolIT {
  @TempDir
  static Path repo;
  static ServerFixture server;
  static HttpJson http;
  static Path logisticV2;
  static Path mlp;

  @BeforeAll
  static void start() throws Exception {
    TestModels.logistic(repo, "clicks", 1, 1);
    logisticV2 = TestModels.logistic(repo, "clicks", 2, 2);
    Files.writeString(repo.resolve("clicks/model.yaml"), "version_policy: all\n");
    mlp = TestModels.mlp(repo, "mlp", 1, 16, 32, 2, 3, 7);
    TestModels.typed(repo, "typed");
    TestModels.twoInputs(repo, "pair");
    TestModels.fixedBatch(repo, "fixed");
    server = ServerFixture.start(repo);
    http = server.http();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void healthEndpointsSayLiveAndReady() {
    assertThat(http.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
    HttpJson.Reply ready = http.get("/v2/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("ready").asBoolean()).isTrue();
  }

  @Test
  void serverMetadataNamesTheServer() {
    JsonNode metadata = http.get("/v2").json();
    assertThat(metadata.get("name").asText()).isEqualTo("modelship-serving");
    assertThat(metadata.has("version")).isTrue();
    assertThat(metadata.get("extensions").isArray()).isTrue();
  }

  @Test
  void modelMetadataComesFromTheOnnxGraphWithMinusOneForDynamicDims() {
    JsonNode metadata = http.get("/v2/models/clicks").json();
    assertThat(metadata.get("name").asText()).isEqualTo("clicks");
    assertThat(metadata.get("platform").asText()).isEqualTo("onnx_onnxv1");
    assertThat(metadata.get("versions").toString()).isEqualTo("[\"1\",\"2\"]");
    assertThat(metadata.get("inputs").toString())
        .isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
    assertThat(metadata.get("outputs").toString())
        .isEqualTo("[{\"name\":\"output\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]");
    assertThat(metadata.at("/parameters/device").asText()).isEqualTo("cpu");
    assertThat(metadata.at("/parameters/version").asText()).isEqualTo("2");
    assertThat(metadata.at("/parameters/sha256").asText()).hasSize(64);
    assertThat(http.get("/v2/models/clicks/versions/1").json().at("/parameters/version").asText()).isEqualTo("1");
    assertThat(http.get("/v2/models/fixed").json().get("inputs").toString())
        .isEqualTo("[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,4]}]");
    assertThat(http.get("/v2/models/fixed").json().at("/parameters/max_batch_size").asInt()).isZero();
  }

  @Test
  void modelReadyForEveryVersion() {
    assertThat(http.get("/v2/models/clicks/ready").json().get("ready").asBoolean()).isTrue();
    assertThat(http.get("/v2/models/clicks/versions/1/ready").status()).isEqualTo(200);
    assertThat(http.get("/v2/models/clicks/versions/3/ready").status()).isEqualTo(404);
  }

  @Test
  void inferenceEqualsInProcessOnnxRuntimeAndEchoesIdAndVersion() throws Exception {
    float[][] rows = randomRows(5, 4, 3);
    ObjectNode request = V2Requests.fp32("input", rows);
    request.put("id", "req-42");
    JsonNode response = http.post("/v2/models/clicks/infer", request).json();
    assertThat(response.get("model_name").asText()).isEqualTo("clicks");
    assertThat(response.get("model_version").asText()).isEqualTo("2");
    assertThat(response.get("id").asText()).isEqualTo("req-42");
    JsonNode output = response.get("outputs").get(0);
    assertThat(output.get("name").asText()).isEqualTo("output");
    assertThat(output.get("datatype").asText()).isEqualTo("FP32");
    assertThat(output.get("shape").toString()).isEqualTo("[5,2]");
    assertMatches(output.get("data"), InProcessOrt.run(logisticV2, "input", rows));
  }

  @Test
  void multiLayerModelResultsEqualInProcessOnnxRuntime() throws Exception {
    float[][] rows = randomRows(3, 16, 11);
    JsonNode output = http.post("/v2/models/mlp/infer", V2Requests.fp32("input", rows)).json().get("outputs").get(0);
    assertThat(output.get("shape").toString()).isEqualTo("[3,3]");
    assertMatches(output.get("data"), InProcessOrt.run(mlp, "input", rows));
  }

  @Test
  void explicitVersionIsServedAndNamedInTheResponse() {
    JsonNode response = http.post("/v2/models/clicks/versions/1/infer",
        V2Requests.fp32("input", randomRows(1, 4, 5))).json();
    assertThat(response.get("model_version").asText()).isEqualTo("1");
  }

  @Test
  void nestedDataInRowMajorOrderGivesTheSameResultAsFlatData() {
    String flat = "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
        + "\"data\":[1,2,3,4,5,6,7,8]}]}";
    String nested = "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
        + "\"data\":[[1,2,3,4],[5,6,7,8]]}]}";
    assertThat(http.post("/v2/models/clicks/infer", nested).json().get("outputs"))
        .isEqualTo(http.post("/v2/models/clicks/infer", flat).json().get("outputs"));
  }

  @Test
  void fieldsMayComeInAnyOrder() {
    String dataFirst = "{\"inputs\":[{\"data\":[1,2,3,4],\"datatype\":\"FP32\",\"shape\":[1,4],\"name\":\"input\"}],"
        + "\"id\":\"x\"}";
    String usual = "{\"id\":\"x\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
        + "\"data\":[1,2,3,4]}]}";
    assertThat(http.post("/v2/models/clicks/infer", dataFirst).body())
        .isEqualTo(http.post("/v2/models/clicks/infer", usual).body());
  }

  @Test
  void everyDatatypeRoundTripsThroughTheModel() {
    String request = """
        {"inputs": [
          {"name": "float_in", "shape": [2, 2], "datatype": "FP32", "data": [1.5, -2.25, 3.0e-3, 4]},
          {"name": "double_in", "shape": [2, 2], "datatype": "FP64", "data": [1.0000000001, -2, 3, 1e300]},
          {"name": "int8_in", "shape": [2, 2], "datatype": "INT8", "data": [-128, 127, 0, 1]},
          {"name": "uint8_in", "shape": [2, 2], "datatype": "UINT8", "data": [0, 255, 7, 8]},
          {"name": "int16_in", "shape": [2, 2], "datatype": "INT16", "data": [-32768, 32767, 0, 1]},
          {"name": "int32_in", "shape": [2, 2], "datatype": "INT32", "data": [-2147483648, 2147483647, 0, 1]},
          {"name": "int64_in", "shape": [2, 2], "datatype": "INT64",
           "data": [-9223372036854775808, 9223372036854775807, 0, 1]},
          {"name": "bool_in", "shape": [2, 2], "datatype": "BOOL", "data": [true, false, false, true]}
        ]}""";
    JsonNode outputs = http.post("/v2/models/typed/infer", request).json().get("outputs");
    assertThat(outputs).hasSize(8);
    assertThat(output(outputs, "float_out").get("data").toString()).isEqualTo("[1.5,-2.25,0.003,4.0]");
    assertThat(output(outputs, "double_out").get("data").toString()).isEqualTo("[1.0000000001,-2.0,3.0,1.0E300]");
    assertThat(output(outputs, "int8_out").get("data").toString()).isEqualTo("[-128,127,0,1]");
    assertThat(output(outputs, "uint8_out").get("data").toString()).isEqualTo("[0,255,7,8]");
    assertThat(output(outputs, "int16_out").get("data").toString()).isEqualTo("[-32768,32767,0,1]");
    assertThat(output(outputs, "int32_out").get("data").toString()).isEqualTo("[-2147483648,2147483647,0,1]");
    assertThat(output(outputs, "int64_out").get("data").toString())
        .isEqualTo("[-9223372036854775808,9223372036854775807,0,1]");
    assertThat(output(outputs, "bool_out").get("data").toString()).isEqualTo("[true,false,false,true]");
    assertThat(output(outputs, "bool_out").get("datatype").asText()).isEqualTo("BOOL");
    assertThat(output(outputs, "int64_out").get("shape").toString()).isEqualTo("[2,2]");
  }

  @Test
  void outputsFilterReturnsOnlyTheNamedOutputs() {
    String request = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
        + "{\"name\":\"b\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[10,20,30]}],"
        + "\"outputs\":[{\"name\":\"product\"}]}";
    JsonNode outputs = http.post("/v2/models/pair/infer", request).json().get("outputs");
    assertThat(outputs).hasSize(1);
    assertThat(outputs.get(0).get("name").asText()).isEqualTo("product");
    assertThat(outputs.get(0).get("data").toString()).isEqualTo("[10.0,40.0,90.0]");
    String both = request.replace(",\"outputs\":[{\"name\":\"product\"}]", "");
    assertThat(http.post("/v2/models/pair/infer", both).json().get("outputs")).hasSize(2);
  }

  @Test
  void modelWithFixedBatchDimensionIsServedUnbatched() {
    String request = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[-1,2,-3,4]}]}";
    JsonNode output = http.post("/v2/models/fixed/infer", request).json().get("outputs").get(0);
    assertThat(output.get("data").toString()).isEqualTo("[0.0,2.0,0.0,4.0]");
    assertThat(output.get("shape").toString()).isEqualTo("[1,4]");
  }

  static JsonNode output(JsonNode outputs, String name) {
    for (JsonNode output : outputs) {
      if (output.get("name").asText().equals(name)) {
        return output;
      }
    }
    throw new AssertionError("no output " + name + " in " + outputs);
  }

  static float[][] randomRows(int rows, int width, long seed) {
    Random random = new Random(seed);
    float[][] values = new float[rows][width];
    for (float[] row : values) {
      for (int i = 0; i < width; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    return values;
  }

  static void assertMatches(JsonNode flatData, float[][] expected) {
    int i = 0;
    for (float[] row : expected) {
      for (float value : row) {
        assertThat(flatData.get(i++).floatValue()).isCloseTo(value, within(1e-6f));
      }
    }
    assertThat(flatData).hasSize(i);
  }
}
