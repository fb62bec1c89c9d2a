package dev.modelship.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.serving.testing.HttpJson;
import dev.modelship.serving.testing.ServerFixture;
import dev.modelship.serving.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every client mistake is a 4xx with {@code {"error": ...}} naming what is wrong; 500 only for server faults. */
class ErrorResponsesIT {
  private static final String CLICKS = "/v2/models/clicks/infer";

  @TempDir
  static Path repo;
  static ServerFixture server;
  static HttpJson http;

  @BeforeAll
  static void start() throws Exception {
    TestModels.logistic(repo, "clicks", 1, 1);
    TestModels.twoInputs(repo, "pair");
    TestModels.typed(repo, "typed");
    TestModels.logarithm(repo, "log");
    TestModels.logarithm(repo, "log-allowed");
    Files.writeString(repo.resolve("log-allowed/model.yaml"), "allow_non_finite_outputs: true\n");
    TestModels.lookup(repo, "lookup");
    Files.writeString(repo.resolve("clicks/model.yaml"), "max_batch_size: 8\n");
    server = ServerFixture.start(repo, 64 * 1024);
    http = server.http();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String input(String name, String shape, String datatype, String data) {
    return "{\"inputs\":[{\"name\":\"" + name + "\",\"shape\":" + shape + ",\"datatype\":\"" + datatype
        + "\",\"data\":" + data + "}]}";
  }

  private static void assertError(HttpJson.Reply reply, int status, String... fragments) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    for (String fragment : fragments) {
      assertThat(reply.error()).contains(fragment);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed JSON         | {"inputs": [                                                        | malformed JSON
      not an object          | [1, 2]                                                              | must be a JSON object
      empty body             | ''                                                                  | must be a JSON object
      no inputs              | {"id": "a"}                                                         | no 'inputs'
      unknown top-level key  | {"inputz": []}                                                      | unknown field 'inputz'
      inputs not an array    | {"inputs": {}}                                                      | 'inputs' must be an array
      id not a string        | {"id": 5, "inputs": []}                                             | 'id' must be a string
      trailing garbage       | {"inputs": []} }                                                    | malformed JSON
      input without name     | {"inputs": [{"shape": [1,4], "datatype": "FP32", "data": [1,2,3,4]}]} | has no 'name'
      input without data     | {"inputs": [{"name": "input", "shape": [1,4], "datatype": "FP32"}]}   | input 'input' has no 'data'
      input without shape    | {"inputs": [{"name": "input", "datatype": "FP32", "data": [1,2,3,4]}]} | input 'input' has no 'shape'
      shape not integers     | {"inputs": [{"name": "input", "shape": [1.5,4], "datatype": "FP32", "data": [1,2,3,4]}]} | 'shape' must be an array of integers
      unknown datatype       | {"inputs": [{"name": "input", "shape": [1,4], "datatype": "FP8", "data": [1,2,3,4]}]} | datatype 'FP8' is not supported
      binary data            | {"inputs": [{"name": "input", "shape": [1,4], "datatype": "FP32", "parameters": {"binary_data_size": 16}, "data": [1,2,3,4]}]} | binary tensor data extension
      unknown input field    | {"inputs": [{"name": "input", "shape": [1,4], "datatype": "FP32", "data": [1,2,3,4], "extra": 1}]} | unknown field 'extra' in an input
      duplicate key          | {"inputs": [], "inputs": []}                                        | malformed JSON
      """)
  void malformedRequestsAreRejectedWith400(String caseName, String body, String message) {
    assertError(http.post(CLICKS, body), 400, message);
  }

  @Test
  void unknownInputNameIsNamed() {
    assertError(http.post(CLICKS, input("features", "[1,4]", "FP32", "[1,2,3,4]")), 400,
        "unknown input 'features'", "model inputs: input");
  }

  @Test
  void wrongDatatypeIsNamed() {
    assertError(http.post(CLICKS, input("input", "[1,4]", "FP64", "[1,2,3,4]")), 400,
        "input 'input'", "datatype FP64 does not match the model's FP32");
  }

  @Test
  void dataLengthThatDoesNotMatchTheShapeIsRejected() {
    assertError(http.post(CLICKS, input("input", "[1,4]", "FP32", "[1,2,3]")), 400,
        "input 'input': data has 3 elements, shape [1, 4] needs 4");
    assertError(http.post(CLICKS, input("input", "[1,4]", "FP32", "[1,2,3,4,5]")), 400,
        "more than the 4 elements");
  }

  @Test
  void shapeThatDoesNotFitTheModelIsRejected() {
    assertError(http.post(CLICKS, input("input", "[4]", "FP32", "[1,2,3,4]")), 400, "has 1 dimensions, the model expects 2");
    assertError(http.post(CLICKS, input("input", "[2,2]", "FP32", "[1,2,3,4]")), 400, "does not match the model's [-1, 4]");
    assertError(http.post(CLICKS, input("input", "[0,4]", "FP32", "[]")), 400, "has no rows");
    assertError(http.post(CLICKS, input("input", "[-1,4]", "FP32", "[1,2,3,4]")), 400, "negative dimension");
    assertError(http.post(CLICKS, input("input", "[100000000000,4]", "FP32", "[1,2,3,4]")), 400, "max_batch_size 8");
  }

  @Test
  void moreRowsThanMaxBatchSizeIsRejected() {
    String data = "[" + "1,".repeat(9 * 4 - 1) + "1]";
    assertError(http.post(CLICKS, input("input", "[9,4]", "FP32", data)), 400, "9 rows", "max_batch_size 8");
  }

  @Test
  void nonNumericValuesAreNamedByPosition() {
    assertError(http.post(CLICKS, input("input", "[1,4]", "FP32", "[1,2,\"three\",4]")), 400,
        "input 'input': data element 2 is a string");
    assertError(http.post(CLICKS, input("input", "[1,4]", "FP32", "[1,null,3,4]")), 400, "data element 1 is null");
    assertError(http.post(CLICKS, input("input", "[1,4]", "FP32", "[1,2,3,{}]")), 400, "data element 3 is an object");
    assertError(http.post(CLICKS, input("input", "[1,4]", "FP32", "[1,2,3,1e39]")), 400, "out of range for FP32");
  }

  @Test
  void integerAndBooleanValuesAreChecked() {
    String typed = "/v2/models/typed/infer";
    assertError(http.post(typed, input("int8_in", "[1,2]", "INT8", "[1,128]")), 400, "(128) is out of range for INT8");
    assertError(http.post(typed, input("uint8_in", "[1,2]", "UINT8", "[-1,1]")), 400, "out of range for UINT8");
    assertError(http.post(typed, input("int32_in", "[1,2]", "INT32", "[1,2.5]")), 400,
        "data element 1 is 2.5, expected an integer for INT32");
    assertError(http.post(typed, input("int64_in", "[1,2]", "INT64", "[1,99999999999999999999]")), 400,
        "out of range for INT64");
    assertError(http.post(typed, input("bool_in", "[1,2]", "BOOL", "[true,1]")), 400,
        "expected true or false for BOOL");
  }

  @Test
  void missingAndDuplicateInputsAreNamed() {
    assertError(http.post("/v2/models/pair/infer", input("a", "[1,3]", "FP32", "[1,2,3]")), 400,
        "missing input 'b'");
    String twice = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
        + "{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";
    assertError(http.post("/v2/models/pair/infer", twice), 400, "input 'a' is given twice");
    String disagree = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
        + "{\"name\":\"b\",\"shape\":[2,3],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6]}]}";
    assertError(http.post("/v2/models/pair/infer", disagree), 400, "inputs disagree on the batch dimension");
  }

  @Test
  void unknownRequestedOutputIsNamed() {
    String body = input("input", "[1,4]", "FP32", "[1,2,3,4]").replace("}]}", "}],\"outputs\":[{\"name\":\"proba\"}]}");
    assertError(http.post(CLICKS, body), 400, "unknown output 'proba'", "model outputs: output");
  }

  @Test
  void unknownModelsAndVersionsAre404AndBadNames400() {
    String body = input("input", "[1,4]", "FP32", "[1,2,3,4]");
    assertError(http.post("/v2/models/nope/infer", body), 404, "unknown model 'nope'", "serving: clicks");
    assertError(http.post("/v2/models/clicks/versions/7/infer", body), 404, "model 'clicks' has no version 7");
    assertError(http.post("/v2/models/clicks/versions/x1/infer", body), 400, "not a version number");
    assertError(http.post("/v2/models/..%2F..%2Fetc/infer", body), 400, "not a valid model name");
    assertError(http.get("/v2/models/nope"), 404, "unknown model 'nope'");
    assertError(http.get("/v2/models/nope/ready"), 404, "unknown model");
    assertError(http.get("/v1/models/nope"), 404, "unknown model");
  }

  @Test
  void unknownEndpointsAreJson404s() {
    assertError(http.get("/v3/anything"), 404, "GET /v3/anything not found");
    assertError(http.post("/v2/models/clicks/explain", "{}"), 404, "not found");
  }

  @Test
  void bodyOverTheLimitIs413() {
    byte[] big = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    assertError(http.post(CLICKS, big), 413, "over the limit of 65536 bytes");
  }

  @Test
  void theClientAlwaysReadsThe413EvenWhileStillSendingItsBody() {
    // Answering before the body is read used to reset some connections mid-send: the client saw no answer.
    byte[] big = new byte[256 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    for (int attempt = 0; attempt < 50; attempt++) {
      assertError(http.post(CLICKS, big), 413, "over the limit of 65536 bytes");
    }
  }

  @Test
  void nonFiniteOutputFailsTheRequestWith500UnlessTheModelAllowsIt() {
    String negative = input("x", "[1,2]", "FP32", "[-1,1]");
    assertError(http.post("/v2/models/log/infer", negative), 500, "non-finite output: 'y' element 0 is NaN");
    assertThat(http.post("/v2/models/log/infer", input("x", "[1,2]", "FP32", "[1,1]")).status()).isEqualTo(200);
    HttpJson.Reply allowed = http.post("/v2/models/log-allowed/infer", input("x", "[1,2]", "FP32", "[0,1]"));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.json().at("/outputs/0/data").toString()).isEqualTo("[\"-Infinity\",0.0]");
  }

  @Test
  void valuesTheModelRejectsAre400NotServerFaults() {
    HttpJson.Reply outOfRange = http.post("/v2/models/lookup/infer", input("idx", "[2]", "INT64", "[1,7]"));
    assertError(outOfRange, 400, "model run failed");
    HttpJson.Reply fine = http.post("/v2/models/lookup/infer", input("idx", "[2]", "INT64", "[1,4]"));
    assertThat(fine.json().at("/outputs/0/data").toString()).isEqualTo("[10.0,11.0,40.0,41.0]");
  }

  @Test
  void v1MistakesAreNamed() {
    assertError(http.post("/v1/models/pair:predict", "{\"instances\":[[1,2,3]]}"), 400, "exactly one input");
    assertError(http.post("/v1/models/clicks:predict", "{\"instances\":[[1,2,3,4],[1,2]]}"), 400,
        "instance 1 has 2 values, instance 0 has 4");
    assertError(http.post("/v1/models/clicks:predict", "{\"instances\":[[1,2,3]]}"), 400, "needs 4");
    assertError(http.post("/v1/models/clicks:predict", "{\"instances\":[]}"), 400, "no 'instances'");
    assertError(http.post("/v1/models/clicks:predict", "{\"inputs\":[[1,2,3,4]]}"), 400, "columnar");
    assertError(http.post("/v1/models/clicks:classify", "{\"instances\":[[1,2,3,4]]}"), 400, "verb 'classify'");
    assertError(http.post("/v1/models/clicks:predict", "{\"instances\":[{\"x\":[1,2,3,4]}]}"), 400,
        "instance names 'x'");
    assertError(http.post("/v1/models/clicks:predict", "{\"instances\":[[1,2,\"3\",4]]}"), 400,
        "is a string");
  }
}
