package dev.modelship.controller.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * What every launcher does between starting a serving runtime and handing it to the router, whatever runs it (a
 * process, a container): wait for its readiness probe, then warm its request path up.
 *
 * <p>Warm-up: a fresh JVM answers its first thousands of requests from interpreted code, several times slower
 * than a warm one, and a canary analysis comparing it with a warm stable would blame the model for the JIT. So
 * before an instance is handed to the router it gets {@value #WARM_UP_REQUESTS} all-zero inference requests per
 * model (shapes from its own model metadata), as Triton's model warm-up or a Kubernetes startup probe would do;
 * the runtime's own metrics count them, before any analysis window opens. Their answers are not judged: a model
 * may well refuse all-zero rows.
 */
final class InstanceStartup {
  static final int WARM_UP_REQUESTS = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Duration readyTimeout;

  InstanceStartup(Duration readyTimeout) {
    this.readyTimeout = readyTimeout;
  }

  /** Whether a starting instance is still running, and its last log lines for an error message. */
  interface Watched {
    /** Null while it runs; once it has exited, how (e.g. {@code with 1}). */
    String exited() throws IOException, InterruptedException;

    /** Its last log lines. */
    String tail() throws IOException, InterruptedException;
  }

  /** Waits until {@code /v2/health/ready} answers 200; throws if the instance exits or the ready timeout passes. */
  void awaitReady(String name, URI base, Watched watched) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/v2/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      String exited = watched.exited();
      if (exited != null) {
        throw new IOException("instance " + name + " exited " + exited + ": " + watched.tail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the JVM is still starting
      }
      Thread.sleep(200);
    }
    throw new IOException("instance " + name + " was not ready within " + readyTimeout.toSeconds() + " s: "
        + watched.tail());
  }

  /** Sends all-zero inference requests to each of {@code models} (see the class comment). */
  void warmUp(String name, URI base, List<String> models) throws IOException, InterruptedException {
    for (String model : models) {
      HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (metadata.statusCode() != 200) {
        throw new IOException("instance " + name + " has no metadata for model " + model + ": HTTP "
            + metadata.statusCode());
      }
      String body = zeroRequest(JSON.readTree(metadata.body()));
      HttpRequest infer = HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model + "/infer"))
          .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
      for (int i = 0; i < WARM_UP_REQUESTS; i++) {
        // Any answer warms the path; what the model makes of zeros is for validation and analysis to judge.
        http.send(infer, HttpResponse.BodyHandlers.discarding());
      }
    }
  }

  /** A V2 request with one all-zero row per input (dynamic dimensions as 1). */
  static String zeroRequest(JsonNode metadata) {
    ObjectNode request = JSON.createObjectNode();
    ArrayNode inputs = request.putArray("inputs");
    for (JsonNode input : metadata.path("inputs")) {
      ObjectNode tensor = inputs.addObject();
      tensor.put("name", input.path("name").asText());
      tensor.put("datatype", input.path("datatype").asText());
      ArrayNode shape = tensor.putArray("shape");
      long elements = 1;
      for (JsonNode dim : input.path("shape")) {
        long size = dim.asLong() < 1 ? 1 : dim.asLong();
        shape.add(size);
        elements *= size;
      }
      ArrayNode data = tensor.putArray("data");
      boolean bool = "BOOL".equals(input.path("datatype").asText());
      for (long i = 0; i < elements; i++) {
        if (bool) {
          data.add(false);
        } else {
          data.add(0);
        }
      }
    }
    return request.toString();
  }

  /** A loopback port free now, for an instance to listen on. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
