package dev.modelship.serving.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar target/serving-runtime.jar}: usage, flags from the environment, and clear start-up errors. */
class CommandLineIT {
  @TempDir
  Path dir;

  private record Run(int exit, String output) {
  }

  private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "serving-runtime.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("MODELSHIP_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void helpListsEveryFlagWithItsEnvironmentVariable() throws Exception {
    Run help = run(Map.of(), "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.output()).contains("--model-repository", "MODELSHIP_MODEL_REPOSITORY", "--port", "MODELSHIP_PORT",
        "--device", "MODELSHIP_DEVICE", "--max-request-bytes", "--drain-timeout", "--intra-op-threads");
  }

  @Test
  void missingRepositoryIsAUsageError() throws Exception {
    Run run = run(Map.of());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.output()).contains("missing --model-repository (or MODELSHIP_MODEL_REPOSITORY)");
  }

  @Test
  void aModelThatCannotLoadStopsTheServerWithExitCode1AndTheReason() throws Exception {
    Path version = Files.createDirectories(dir.resolve("models/broken/1"));
    Files.write(version.resolve("model.onnx"), new byte[] {1, 2, 3});
    Run run = run(Map.of("MODELSHIP_MODEL_REPOSITORY", dir.resolve("models").toString(), "MODELSHIP_PORT", "0",
        "MODELSHIP_HOST", "127.0.0.1"));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.output()).contains("error: model 'broken' version 1: ONNX Runtime cannot load it");
  }

  @Test
  void badFlagValuesAreNamed() throws Exception {
    Run device = run(Map.of(), "--model-repository", dir.toString(), "--device", "tpu");
    assertThat(device.exit()).isEqualTo(2);
    assertThat(device.output()).contains("--device must be auto, cpu, cuda or cuda:N, got 'tpu'");
    Run drain = run(Map.of("MODELSHIP_DRAIN_TIMEOUT", "soon"), "--model-repository", dir.toString());
    assertThat(drain.output()).contains("--drain-timeout must look like 30s");
  }
}
