package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.modelship.controller.examples.ClickData;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code modelship examples traffic} against a real HTTP server on loopback standing in for an app's router. */
class TrafficCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer server;
  private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(int status) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2/models/clicks/infer", exchange -> {
      bodies.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("X-Modelship-Backend", "stable-clicks-1");
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void sendsClickRowsInTheModelsFeatureOrderAndCountsAnswersByBackend() throws Exception {
    String url = serve(200);
    CommandRun run = CommandRun.of(new TrafficCommand(), "--to", url, "--rps", "40", "--seconds", "2", "--every", "1",
        "--free-every", "4");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("sending 40 requests/s to " + url + "/v2/models/clicks/infer for 2 s")
        .containsPattern("2s: sent \\d+, stable-clicks-1 \\d+ ok");
    assertThat(bodies.size()).isBetween(40, 100);
    JsonNode input = bodies.get(0).path("inputs").get(0);
    assertThat(input.path("name").asText()).isEqualTo("input");
    assertThat(input.path("shape").toString()).isEqualTo("[1," + ClickData.FEATURES.size() + "]");
    int price = ClickData.FEATURES.stream().sorted().toList().indexOf("item_price");
    long free = bodies.stream().filter(b -> b.path("inputs").get(0).path("data").get(price).asDouble() == 0).count();
    assertThat(free).as("one request in four for a free item").isBetween(bodies.size() / 4L - 2, bodies.size() / 4L + 2);
  }

  @Test
  void failedAnswersAreCountedAndMakeTheExitStatusOne() throws Exception {
    String url = serve(503);
    CommandRun run = CommandRun.of(new TrafficCommand(), "--to", url, "--rps", "20", "--seconds", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).containsPattern("stable-clicks-1 0 ok \\d+ failed");
  }

  @Test
  void anUnreachableEndpointIsCountedAsUnreachable() {
    CommandRun run = CommandRun.of(new TrafficCommand(), "--to", "http://127.0.0.1:1", "--rps", "10", "--seconds",
        "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).containsPattern("unreachable 0 ok \\d+ failed");
  }

  @Test
  void badArgumentsAreRefused() {
    assertThat(CommandRun.of(new TrafficCommand(), "--rps", "0").err()).contains("--rps must be 1-10000");
    assertThat(CommandRun.of(new TrafficCommand(), "--to", "ftp://x").err()).contains("--to must be an http(s) URL");
  }
}
