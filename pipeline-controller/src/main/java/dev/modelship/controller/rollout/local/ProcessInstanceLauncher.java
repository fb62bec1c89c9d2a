package dev.modelship.controller.rollout.local;

import dev.modelship.controller.image.LocalImageStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local engine's default: each instance is a process of the host JVM running the image's own serving runtime
 * and model (unpacked from the image in the local store), on a free loopback port, ready once its readiness probe
 * answers and its request path is warmed up ({@link InstanceStartup}); stopping it sends SIGTERM, which drains.
 */
public final class ProcessInstanceLauncher implements InstanceLauncher {
  private final LocalImageStore images;
  private final ImageUnpacker unpacker;
  private final Path logs;
  private final InstanceStartup startup;

  /**
   * @param logs where each instance's log goes, with a {@code .pid} file while it runs: instances a killed
   *     controller left behind are stopped when the next launcher is made on the same folder
   */
  public ProcessInstanceLauncher(LocalImageStore images, ImageUnpacker unpacker, Path logs, Duration readyTimeout) {
    this.images = images;
    this.unpacker = unpacker;
    this.logs = logs;
    this.startup = new InstanceStartup(readyTimeout);
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
    LocalImageStore.Stored stored = images.resolve(image);
    String digest = stored.digest();
    Path root = unpacker.unpack(stored.archive(), digest);
    int port = InstanceStartup.freePort();
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
      startup.awaitReady(name, instance.base(), new InstanceStartup.Watched() {
        @Override
        public String exited() throws IOException {
          return process.isAlive() ? null : "with " + process.exitValue();
        }

        @Override
        public String tail() throws IOException {
          return ProcessInstanceLauncher.tail(log);
        }
      });
      startup.warmUp(name, instance.base(), modelNames(root.resolve("models")));
    } catch (Exception e) {
      instance.stop(Duration.ZERO);
      throw e;
    }
    return instance;
  }

  private static List<String> modelNames(Path models) throws IOException {
    try (java.util.stream.Stream<Path> list = Files.list(models)) {
      return list.filter(Files::isDirectory).map(model -> model.getFileName().toString()).sorted().toList();
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
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
