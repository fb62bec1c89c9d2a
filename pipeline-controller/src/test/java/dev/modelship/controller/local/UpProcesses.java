package dev.modelship.controller.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.rollout.local.ProcessInstanceLauncherAccess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code modelship up} as processes of the packaged jar for the process tests: started in {@code dir} with the
 * Modelship home {@code dir/home} and no inherited {@code MODELSHIP_*} settings, each with its own log file; the
 * controller's API awaited through {@code controller.json}; failures quote the logs. Closing kills what is left,
 * the controllers and the serving runtimes they started.
 */
final class UpProcesses implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(240);

  private final Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  private final List<String> logs = new ArrayList<>();

  UpProcesses(Path dir) {
    this.dir = dir;
  }

  Path home() {
    return dir.resolve("home");
  }

  /** Starts {@code modelship up ARGS} with {@code env} added, its output going to {@code dir/log}. */
  Process start(String log, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", Path.of("target", "modelship.jar").toAbsolutePath().toString(), "up"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("MODELSHIP_"));
    builder.environment().put("MODELSHIP_HOME", home().toString());
    builder.environment().putAll(env);
    Files.deleteIfExists(home().resolve("controller.json"));
    Process process = builder.start();
    processes.add(process);
    logs.add(log);
    return process;
  }

  /** The API address of the controller started last, once it has written controller.json. */
  String awaitApi() throws IOException {
    Path endpoint = home().resolve("controller.json");
    Process current = processes.get(processes.size() - 1);
    org.awaitility.Awaitility.await("modelship up to write controller.json").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!current.isAlive()) {
        throw new AssertionError("modelship up exited with " + current.exitValue() + ":\n" + logs());
      }
      return Files.isRegularFile(endpoint);
    });
    return JSON.readTree(endpoint.toFile()).path("url").asText();
  }

  JsonNode get(String url) throws IOException, InterruptedException {
    return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The answer of {@code url} once {@code condition} holds; a time-out quotes the last answer and the logs. */
  JsonNode await(String url, Predicate<JsonNode> condition, String what) {
    JsonNode[] last = new JsonNode[1];
    try {
      org.awaitility.Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(250))
          .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            last[0] = get(url);
            return condition.test(last[0]);
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("timed out waiting for " + what + "; last answer " + last[0] + "\n" + logs(), e);
    }
    return last[0];
  }

  /** The process ids of the serving runtimes running now, from their {@code .pid} files. */
  List<Long> instancePids() throws IOException {
    Path folder = home().resolve("logs");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      List<Long> pids = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file).strip()));
      }
      return pids;
    }
  }

  /** The last 40 lines of each log, for failure messages. */
  String logs() {
    StringBuilder text = new StringBuilder();
    for (String log : logs) {
      try {
        List<String> lines = Files.readAllLines(dir.resolve(log));
        text.append("--- ").append(log).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
      } catch (IOException e) {
        text.append("--- ").append(log).append(": unreadable (").append(e.getMessage()).append(")\n");
      }
    }
    return text.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    // whatever serving runtimes are left are stopped the way a restarted controller would
    ProcessInstanceLauncherAccess.stopLeftovers(home().resolve("logs"));
  }
}
