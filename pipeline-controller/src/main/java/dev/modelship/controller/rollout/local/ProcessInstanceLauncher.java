package dev.modelship.controller.rollout.local;

import dev.modelship.controller.image.LocalImageStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local engine's default: each instance is a process of the host JVM running the image's own serving runtime
 * and model (unpacked from the image in the local store), on a free loopback port, ready once its readiness probe
 * answers and its request path is warmed up; stopping it sends SIGTERM, which drains.
 *
 * <p>Warm-up: a fresh JVM answers its first thousands of requests from interpreted code, several times slower
 * than a warm one, and a canary analysis comparing it with a warm stable would blame the model for the JIT. So
 * before an instance is handed to the router it gets {@value #WARM_UP_REQUESTS} all-zero inference requests per
 * model (shapes from its own model metadata), as Triton's model warm-up or a Kubernetes startup probe would do;
 * the runtime's own metrics count them, before any analysis window opens. Their answers are not judged: a model
 * may well refuse all-zero rows.
 */
public final class ProcessInstanceLauncher implements InstanceLauncher {
  private final LocalImageStore images;
  private final ImageUnpacker unpacker;
  private final Path logs;
  private final Duration readyTimeout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final int WARM_UP_REQUESTS = 3000;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * @param logs where each instance's log goes, with a {@code .pid} file while it runs: instances a killed
   *     controller left behind are stopped when the next launcher is made on the same folder
   */
  public ProcessInstanceLauncher(LocalImageStore images, ImageUnpacker unpacker, Path logs, Duration readyTimeout) {
    this.images = images;
    this.unpacker = unpacker;
    this.logs = logs;
    this.readyTimeout = readyTimeout;
    stopLeftovers(logs);
  }

  /**
   * Stops serving runtimes recorded in {@code *.pid} files under {@code logs} that are still running: what a
   * controller killed with SIGKILL could not stop. A pid now used by another program is left alone.
   */
  static List<Long> stopLeftovers(Path logs) {
    List<Long> stopped = new java.util.ArrayList<>();
    if (!Files.isDirectory(logs)) {
      return stopped;
    }
    List<Path> pidFiles;
    try (java.util.stream.Stream<Path> list = Files.list(logs)) {
      pidFiles = list.filter(p -> p.getFileName().toString().endsWith(".pid")).toList();
    } catch (IOException e) {
      return stopped;
    }
    for (Path pidFile : pidFiles) {
      try {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        java.util.Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent() && handle.get().isAlive() && handle.get().info().commandLine()
            .map(line -> line.contains("serving-runtime.jar")).orElse(false)) {
          handle.get().destroy();
          try {
            handle.get().onExit().get(15, TimeUnit.SECONDS);
          } catch (java.util.concurrent.TimeoutException e) {
            handle.get().destroyForcibly();
          }
          stopped.add(pid);
        }
        Files.deleteIfExists(pidFile);
      } catch (IOException | NumberFormatException | java.util.concurrent.ExecutionException e) {
        // an unreadable pid file is removed below on the next start; nothing to stop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return stopped;
      }
    }
    return stopped;
  }

  @Override
  public Instance start(String app, String image, int index) throws Exception {
    int at = image.lastIndexOf('@');
    if (at < 0) {
      throw new IOException("image " + image + " is not pinned by digest; releases deploy name@sha256:...");
    }
    String digest = image.substring(at + 1);
    Path archive = images.find(digest).orElseThrow(() -> new IOException("image " + image + " is not in the local "
        + "image store " + images.directory() + " (the local engine runs images built there)"));
    Path root = unpacker.unpack(archive, digest);
    int port = freePort();
    Files.createDirectories(logs);
    // The port makes the name unique: the same image runs in several environments at once, and each instance
    // needs its own log and pid file (a shared pid file would hide an instance from the leftover reaping).
    String name = app + "-" + digest.substring(7, 19) + "-" + index + "-" + port;
    Path log = logs.resolve(name + ".log");
    Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xss512k", "-jar", root.resolve("app/serving-runtime.jar").toString(),
        "--model-repository", root.resolve("models").toString(), "--host", "127.0.0.1",
        "--port", Integer.toString(port), "--intra-op-threads", "1", "--drain-timeout", "10s"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    process.getOutputStream().close();
    Path pidFile = logs.resolve(name + ".pid");
    Files.writeString(pidFile, Long.toString(process.pid()));
    ProcessInstance instance = new ProcessInstance(name, URI.create("http://127.0.0.1:" + port), process, pidFile);
    try {
      awaitReady(instance, log);
      warmUp(instance, root.resolve("models"));
    } catch (Exception e) {
      instance.stop(Duration.ZERO);
      throw e;
    }
    return instance;
  }

  private void awaitReady(ProcessInstance instance, Path log) throws Exception {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(instance.base() + "/v2/health/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!instance.process.isAlive()) {
        throw new IOException("instance " + instance.name() + " exited with " + instance.process.exitValue() + ": "
            + tail(log));
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
    throw new IOException("instance " + instance.name() + " was not ready within " + readyTimeout.toSeconds()
        + " s: " + tail(log));
  }

  /** Sends all-zero inference requests to every model the instance serves (see the class comment). */
  private void warmUp(ProcessInstance instance, Path models) throws IOException, InterruptedException {
    List<Path> names;
    try (java.util.stream.Stream<Path> list = Files.list(models)) {
      names = list.filter(Files::isDirectory).toList();
    }
    for (Path model : names) {
      String name = model.getFileName().toString();
      HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create(instance.base() + "/v2/models/"
          + name)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (metadata.statusCode() != 200) {
        throw new IOException("instance " + instance.name() + " has no metadata for model " + name + ": HTTP "
            + metadata.statusCode());
      }
      String body = zeroRequest(JSON.readTree(metadata.body()));
      HttpRequest infer = HttpRequest.newBuilder(URI.create(instance.base() + "/v2/models/" + name + "/infer"))
          .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
      for (int i = 0; i < WARM_UP_REQUESTS; i++) {
        // Any answer warms the path; what the model makes of zeros is for validation and analysis to judge.
        http.send(infer, HttpResponse.BodyHandlers.discarding());
      }
    }
  }

  /** A V2 request with one all-zero row per input (dynamic dimensions as 1). */
  static String zeroRequest(com.fasterxml.jackson.databind.JsonNode metadata) {
    com.fasterxml.jackson.databind.node.ObjectNode request = JSON.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode inputs = request.putArray("inputs");
    for (com.fasterxml.jackson.databind.JsonNode input : metadata.path("inputs")) {
      com.fasterxml.jackson.databind.node.ObjectNode tensor = inputs.addObject();
      tensor.put("name", input.path("name").asText());
      tensor.put("datatype", input.path("datatype").asText());
      com.fasterxml.jackson.databind.node.ArrayNode shape = tensor.putArray("shape");
      long elements = 1;
      for (com.fasterxml.jackson.databind.JsonNode dim : input.path("shape")) {
        long size = dim.asLong() < 1 ? 1 : dim.asLong();
        shape.add(size);
        elements *= size;
      }
      com.fasterxml.jackson.databind.node.ArrayNode data = tensor.putArray("data");
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

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A serving runtime process. */
  private record ProcessInstance(String name, URI base, Process process, Path pidFile) implements Instance {
    @Override
    public void stop(Duration drain) {
      process.destroy(); // SIGTERM: the runtime stops admitting, finishes what it admitted, exits 0
      try {
        if (!process.waitFor(drain.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        // a stale pid file is checked against the process's command line before anything is stopped
      }
    }
  }
}
