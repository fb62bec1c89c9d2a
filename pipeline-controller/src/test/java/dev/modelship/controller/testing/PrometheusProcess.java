package dev.modelship.controller.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus} package, installed by scripts/test) on a loopback port,
 * scraping the given targets every second, with its data in a temporary folder.
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final Process process;
  private final int port;
  private final Path log;

  private PrometheusProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** @param targets {@code host:port} of each /metrics endpoint, all in one job {@code modelship} */
  public static PrometheusProcess start(Path dir, List<String> targets) throws IOException {
    int port = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        + "scrape_configs:\n  - job_name: modelship\n    static_configs:\n      - targets: ["
        + String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()) + "]\n");
    Path log = dir.resolve("prometheus.log");
    Process process;
    try {
      process = new ProcessBuilder("prometheus", "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException("cannot start prometheus: run ./scripts/test, which installs Debian's prometheus "
          + "package", e);
    }
    PrometheusProcess prometheus = new PrometheusProcess(process, port, log);
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited: " + Files.readString(log));
      }
      return http.send(HttpRequest.newBuilder(URI.create(prometheus.address() + "/-/ready")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    });
    return prometheus;
  }

  /**
   * Waits until Prometheus has scraped every target successfully {@code scrapes} times (it scrapes every second), so that a
   * query over a window of that many seconds has data for each.
   */
  public void awaitScrapes(int targets, int scrapes) {
    HttpClient http = HttpClient.newHttpClient();
    String query = URLEncoder.encode("sum_over_time(up[5m]) >= " + scrapes, StandardCharsets.UTF_8);
    await("prometheus to scrape " + targets + " targets " + scrapes + " times").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("prometheus exited: " + Files.readString(log));
          }
          String body = http.send(HttpRequest.newBuilder(URI.create(address() + "/api/v1/query?query=" + query))
              .build(), HttpResponse.BodyHandlers.ofString()).body();
          return JSON.readTree(body).path("data").path("result").size() >= targets;
        });
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
