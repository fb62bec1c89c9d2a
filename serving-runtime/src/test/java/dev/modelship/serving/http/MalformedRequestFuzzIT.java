package dev.modelship.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.serving.testing.HttpJson;
import dev.modelship.serving.testing.ServerFixture;
import dev.modelship.serving.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hundreds of broken bodies, from a fixed seed: only 4xx come back and the server stays healthy. */
class MalformedRequestFuzzIT {
  private static final String[] VALID = {
      "{\"id\":\"a\",\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
          + "\"data\":[[1,2,3,4],[5,6,7,8]]}],\"outputs\":[{\"name\":\"output\"}]}",
      "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
          + "{\"name\":\"b\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[4,5,6]}]}",
      "{\"inputs\":[{\"name\":\"int64_in\",\"shape\":[1,2],\"datatype\":\"INT64\",\"data\":[1,2]},"
          + "{\"name\":\"bool_in\",\"shape\":[1,2],\"datatype\":\"BOOL\",\"data\":[true,false]}]}",
      "{\"instances\":[[1,2,3,4],[5,6,7,8]]}",
  };
  private static final String[] PATHS = {"/v2/models/clicks/infer", "/v2/models/pair/infer",
      "/v2/models/typed/infer", "/v1/models/clicks:predict"};
  private static final String[] FRAGMENTS = {"{", "}", "[", "]", "\"", ",", ":", "null", "true", "-", "1e999",
      "NaN", "\\u0000", "\\", "[[[[[[[[", "\"shape\":[-5]", "\"datatype\":\"BYTES\"", "9999999999999999999999",
      "\"data\":{}", "\u00e9\u4e2d", "0.5e-400", "\"name\":\"\"", "[]", "{}"};

  @TempDir
  static Path repo;
  static ServerFixture server;
  static HttpJson http;

  @BeforeAll
  static void start() throws Exception {
    TestModels.logistic(repo, "clicks", 1, 1);
    TestModels.twoInputs(repo, "pair");
    TestModels.typed(repo, "typed");
    server = ServerFixture.start(repo, 1 << 20);
    http = server.http();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void brokenBodiesGetOnly4xxAndTheServerStaysHealthy() {
    Random random = new Random(20261204);
    List<String> serverErrors = new ArrayList<>();
    int clientErrors = 0;
    for (int i = 0; i < 600; i++) {
      int target = random.nextInt(VALID.length);
      byte[] body = mutate(VALID[target], random);
      HttpJson.Reply reply = http.post(PATHS[target], body);
      if (reply.status() >= 500) {
        serverErrors.add(reply.status() + " for " + new String(body, StandardCharsets.UTF_8) + " -> " + reply.body());
      } else if (reply.status() >= 400) {
        clientErrors++;
        assertThat(reply.json().get("error").asText()).isNotBlank();
      }
    }
    assertThat(serverErrors).isEmpty();
    assertThat(clientErrors).as("most mutations are invalid").isGreaterThan(400);
    assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
    assertThat(http.post(PATHS[0], VALID[0]).json().at("/outputs/0/shape").toString()).isEqualTo("[2,2]");
  }

  private static byte[] mutate(String valid, Random random) {
    StringBuilder text = new StringBuilder(valid);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(text.length() + 1);
      switch (random.nextInt(6)) {
        case 0:
          text.setLength(Math.min(at, text.length()));
          break;
        case 1:
          if (at < text.length()) {
            text.deleteCharAt(at);
          }
          break;
        case 2:
          text.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
          break;
        case 3:
          if (at < text.length()) {
            text.setCharAt(at, (char) (32 + random.nextInt(95)));
          }
          break;
        case 4:
          int digit = text.indexOf("1", at);
          if (digit >= 0) {
            text.replace(digit, digit + 1, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
          }
          break;
        default:
          byte[] garbage = new byte[1 + random.nextInt(32)];
          random.nextBytes(garbage);
          byte[] prefix = text.toString().getBytes(StandardCharsets.UTF_8);
          byte[] mixed = new byte[prefix.length + garbage.length];
          System.arraycopy(prefix, 0, mixed, 0, prefix.length);
          System.arraycopy(garbage, 0, mixed, prefix.length, garbage.length);
          return mixed;
      }
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
