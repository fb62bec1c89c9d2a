package dev.modelship.serving.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.modelship.serving.testing.HttpJson;
import dev.modelship.serving.testing.TestModels;
import dev.modelship.serving.testing.V2Requests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server ({@code java -jar target/serving-runtime.jar}) as its own process: SIGTERM under load
 * makes it refuse new work, finish what it accepted, and exit 0.
 */
class SigtermDrainIT {
  @TempDir
  Path repo;

  @Test
  void sigtermUnderLoadFinishesAcceptedRequestsAndExitsZero() throws Exception {
    TestModels.mlp(repo, "mlp", 1, 64, 512, 2, 2, 1);
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = repo.resolve("server.log");
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "serving-runtime.jar").toAbsolutePath().toString(),
        "--model-repository", repo.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "--drain-timeout", "20s")
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(repo.toFile())
        .start();
    server.getOutputStream().close();
    try {
      runLoadAndTerminate(server, port, log);
    } finally {
      server.destroyForcibly();
    }
  }

  private void runLoadAndTerminate(Process server, int port, Path log) throws Exception {
    HttpJson http = new HttpJson(port);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      if (!server.isAlive()) {
        throw new AssertionError("server exited with " + server.exitValue() + ":\n" + Files.readString(log));
      }
      return http.get("/v2/health/ready").status() == 200;
    });
    String body = V2Requests.fp32("input", new float[8][64]).toString();
    ConcurrentMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    for (int c = 0; c < 16; c++) {
      clients.submit(() -> {
        while (!stop.get()) {
          outcomes.computeIfAbsent(send(http, body), k -> new AtomicInteger()).incrementAndGet();
        }
      });
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.getOrDefault("200", new AtomicInteger()).get() > 50);

    server.destroy(); // SIGTERM
    assertThat(server.waitFor(40, TimeUnit.SECONDS)).as("exits within the drain timeout").isTrue();
    stop.set(true);
    clients.shutdown();
    assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    String output = Files.readString(log);
    assertThat(server.exitValue()).as(output).isZero();
    assertThat(output).contains("draining: readiness is false").contains("stopped");
    assertThat(output).doesNotContain("drain timeout");
    // Accepted requests answer 200; after the signal the server says 503 or no longer takes connections.
    assertThat(outcomes.keySet()).as(outcomes.toString()).isSubsetOf(List.of("200", "503", "refused", "closed"));
  }

  private static String send(HttpJson http, String body) {
    try {
      return Integer.toString(http.post("/v2/models/mlp/infer", body).status());
    } catch (UncheckedIOException e) {
      return e.getCause() instanceof ConnectException ? "refused" : closedOrUnexpected(e.getCause());
    }
  }

  /**
   * A keep-alive connection the stopping server closed before reading a request sent on it: the request was
   * never accepted (HTTP/1.1's keep-alive race, which load balancers retry).
   */
  private static String closedOrUnexpected(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("received no bytes") || message.contains("closed") ? "closed" : "unexpected: " + e;
  }
}
