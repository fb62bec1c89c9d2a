package dev.modelship.controller.rollout.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router over real sockets, in front of real HTTP backends. */
class WeightedRouterIT {
  private final List<HttpServer> servers = new ArrayList<>();
  private WeightedRouter router;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    servers.forEach(server -> server.stop(0));
  }

  /** A backend that answers its own name, echoes POST bodies, and takes {@code delayMillis} per request. */
  private Backend backend(String name, int delayMillis) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", exchange -> {
      byte[] in = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().toString();
      byte[] out = (name + " " + exchange.getRequestMethod() + " " + path + " " + new String(in, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8);
      Runnable answer = () -> {
        try (exchange) {
          exchange.getResponseHeaders().add("X-Answered-By", name);
          exchange.sendResponseHeaders(path.contains("unavailable") ? 503 : 200, out.length);
          exchange.getResponseBody().write(out);
        } catch (IOException e) {
          // the router gave up on this request; nothing to answer
        }
      };
      if (delayMillis == 0) {
        answer.run();
      } else { // a slow backend: the answer leaves delayMillis later, without holding a server thread
        java.util.concurrent.CompletableFuture.delayedExecutor(delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
            .execute(answer);
      }
    });
    server.start();
    servers.add(server);
    return new Backend(name, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Map<String, Integer> split(int requests) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < requests; i++) {
      counts.merge(post("/v2/models/m/infer", "{}").headers().firstValue("X-Modelship-Backend").orElse("?"), 1,
          Integer::sum);
    }
    return counts;
  }

  @Test
  void splitsTrafficByTheCanaryWeight() throws Exception {
    Backend stable = backend("stable", 0);
    Backend canary = backend("canary", 0);
    router = new WeightedRouter("m", new TrafficSplit(List.of(stable), List.of(canary), 25), "127.0.0.1", 0);
    // Each request goes to the canary with probability 25%: 400 requests give 100 +- 26 (3 sigma).
    Map<String, Integer> quarter = split(400);
    assertThat(quarter.get("canary")).isBetween(74, 126);
    assertThat(quarter.get("canary") + quarter.get("stable")).isEqualTo(400);
    router.update(new TrafficSplit(List.of(stable), List.of(canary), 10));
    assertThat(split(200).get("canary")).isBetween(7, 33);
    router.update(new TrafficSplit(List.of(stable), List.of(canary), 0));
    assertThat(split(50)).containsOnlyKeys("stable");
    router.update(new TrafficSplit(List.of(stable), List.of(canary), 100));
    assertThat(split(50)).containsOnlyKeys("canary");
  }

  @Test
  void forwardsPathQueryBodyStatusAndHeaders() throws Exception {
    router = new WeightedRouter("m", TrafficSplit.stableOnly(List.of(backend("only", 0))), "127.0.0.1", 0);
    HttpResponse<String> ok = post("/v1/models/m:predict?x=1", "{\"instances\":[[1]]}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("only POST /v1/models/m:predict?x=1 {\"instances\":[[1]]}");
    assertThat(ok.headers().firstValue("X-Answered-By")).contains("only");
    assertThat(post("/unavailable", "").statusCode()).isEqualTo(503);
  }

  @Test
  void withNoInstanceRunningAnswers503() throws Exception {
    router = new WeightedRouter("m", TrafficSplit.stableOnly(List.of()), "127.0.0.1", 0);
    HttpResponse<String> reply = post("/v2/models/m/infer", "{}");
    assertThat(reply.statusCode()).isEqualTo(503);
    assertThat(reply.body()).contains("no serving instance");
  }

  @Test
  void aBackendThatRefusesConnectionsIsRetriedOnAnother() throws Exception {
    Backend alive = backend("alive", 0);
    Backend gone = new Backend("gone", URI.create("http://127.0.0.1:" + freePort()));
    router = new WeightedRouter("m", new TrafficSplit(List.of(alive), List.of(gone), 50), "127.0.0.1", 0);
    assertThat(split(20)).containsOnlyKeys("alive");
  }

  @Test
  void promotingUnderLoadFailsNoRequest() throws Exception {
    Backend oldStable = backend("v1", 3);
    Backend canary = backend("v2", 3);
    router = new WeightedRouter("m", TrafficSplit.stableOnly(List.of(oldStable)), "127.0.0.1", 0);
    AtomicBoolean running = new AtomicBoolean(true);
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<?>> loops = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      loops.add(clients.submit(() -> {
        while (running.get()) {
          int status;
          try {
            status = post("/v2/models/m/infer", "{}").statusCode();
          } catch (Exception e) {
            status = -1;
          }
          statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        }
        return null;
      }));
    }
    for (int weight : new int[] {10, 50, 100}) {
      router.update(new TrafficSplit(List.of(oldStable), List.of(canary), weight));
      awaitMoreRequests(statuses, 100);
    }
    router.update(TrafficSplit.stableOnly(List.of(canary)));
    assertThat(router.awaitIdle(oldStable, Duration.ofSeconds(5))).isTrue();
    servers.get(0).stop(0); // the old stable instance goes away once drained
    awaitMoreRequests(statuses, 100);
    running.set(false);
    for (Future<?> loop : loops) {
      loop.get();
    }
    clients.shutdown();
    assertThat(statuses.keySet()).as(statuses.toString()).containsOnly(200);
    assertThat(canary.served()).isPositive();
  }

  /** Waits while the clients complete {@code count} more requests (whatever their answer). */
  private static void awaitMoreRequests(Map<Integer, AtomicInteger> statuses, int count) {
    int before = total(statuses);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
        .until(() -> total(statuses) >= before + count);
  }

  private static int total(Map<Integer, AtomicInteger> statuses) {
    return statuses.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
