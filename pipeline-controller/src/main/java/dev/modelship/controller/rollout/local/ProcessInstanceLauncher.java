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
 * answers; stopping it sends SIGTERM, which drains.
 */
public final class ProcessInstanceLauncher implements InstanceLauncher {
  private final LocalImageStore images;
  private final ImageUnpacker unpacker;
  private final Path logs;
  private final Duration readyTimeout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public ProcessInstanceLauncher(LocalImageStore images, ImageUnpacker unpacker, Path logs, Duration readyTimeout) {
    this.images = images;
    this.unpacker = unpacker;
    this.logs = logs;
    this.readyTimeout = readyTimeout;
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
    String name = app + "-" + digest.substring(7, 19) + "-" + index;
    Path log = logs.resolve(name + ".log");
    Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xss512k", "-jar", root.resolve("app/serving-runtime.jar").toString(),
        "--model-repository", root.resolve("models").toString(), "--host", "127.0.0.1",
        "--port", Integer.toString(port), "--intra-op-threads", "1", "--drain-timeout", "10s"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    process.getOutputStream().close();
    ProcessInstance instance = new ProcessInstance(name, URI.create("http://127.0.0.1:" + port), process);
    try {
      awaitReady(instance, log);
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
  private record ProcessInstance(String name, URI base, Process process) implements Instance {
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
    }
  }
}
