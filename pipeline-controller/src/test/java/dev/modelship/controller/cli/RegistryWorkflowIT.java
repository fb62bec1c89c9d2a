package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through with the packaged CLI ({@code java -jar target/modelship.jar}): generate data, train
 * and push, list, validate, and see a regression rejected with its reason.
 */
class RegistryWorkflowIT {
  @TempDir
  Path dir;

  private record Run(int exit, String output) {
  }

  private Run modelship(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "modelship.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("MODELSHIP_"));
    builder.environment().put("MODELSHIP_HOME", dir.resolve("home").toString());
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void trainPushListValidateAndRejectARegression() throws Exception {
    Run data = modelship("examples", "generate-data", "--out", "data", "--rows", "4000", "--seed", "1");
    assertThat(data.exit()).as(data.output()).isZero();
    Path csv = Files.list(dir.resolve("data")).filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow();

    Run first = modelship("train", "--data", csv.toString(), "--label", "clicked", "--name", "clicks", "--push",
        "--out", "trained-1");
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(first.output()).contains("clicks:1");

    Run validFirst = modelship("validate", "clicks:1");
    assertThat(validFirst.exit()).as(validFirst.output()).isZero();
    assertThat(validFirst.output()).contains("PASSED");

    // A regression: trained on a few drifted rows, judged on the first model's holdout and against its bars.
    Run drifted = modelship("examples", "generate-data", "--out", "drifted", "--rows", "300", "--seed", "2",
        "--drift", "1");
    assertThat(drifted.exit()).as(drifted.output()).isZero();
    Path driftedCsv = Files.list(dir.resolve("drifted")).filter(p -> p.toString().endsWith(".csv")).findFirst()
        .orElseThrow();
    Run second = modelship("train", "--data", driftedCsv.toString(), "--label", "clicked", "--name", "clicks",
        "--push", "--out", "trained-2", "--holdout", dir.resolve("trained-1/holdout.csv").toString(),
        "--bars-from", dir.resolve("trained-1/modelship.yaml").toString(), "--epochs", "1");
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(second.output()).contains("clicks:2");

    Run rejected = modelship("validate", "clicks:2");
    assertThat(rejected.exit()).as(rejected.output()).isEqualTo(1);
    assertThat(rejected.output()).contains("champion: clicks:1").contains("REJECTED").contains("quality");

    Run listed = modelship("models", "clicks");
    assertThat(listed.exit()).as(listed.output()).isZero();
    assertThat(listed.output()).containsPattern("(?m)^1\\s+sha256:\\S+\\s+\\S+\\s+PASSED")
        .containsPattern("(?m)^2\\s+sha256:\\S+\\s+\\S+\\s+REJECTED");
  }
}
