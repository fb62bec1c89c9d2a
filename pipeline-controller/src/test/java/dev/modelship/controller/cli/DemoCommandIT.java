package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code modelship demo --no-wait}: trains, starts the real serving runtime, calls it over HTTP, drains. */
class DemoCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void trainsServesAndAnswersOneRealInferenceWithTwoProbabilities() throws Exception {
    CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--port", "0", "--no-wait");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("models/clicks/1/model.onnx")).isRegularFile();
    JsonNode response = JSON.readTree(lineAfter(run.out(), "  response: "));
    assertThat(response.path("model_name").asText()).isEqualTo("clicks");
    JsonNode output = response.path("outputs").get(0);
    assertThat(output.path("name").asText()).isEqualTo("output");
    assertThat(output.path("shape").toString()).isEqualTo("[1,2]");
    JsonNode data = output.path("data");
    assertThat(data.size()).isEqualTo(2);
    assertThat(data.get(0).asDouble()).isBetween(0.0, 1.0);
    assertThat(data.get(0).asDouble() + data.get(1).asDouble()).isCloseTo(1.0, within(1e-5));
    assertThat(run.out()).contains("P(clicked) = ")
        .contains("/v1/models/clicks:predict")
        .contains("/metrics")
        .contains("Not built yet");
  }

  @Test
  void secondRunServesTheModelTheFirstRunTrained() throws Exception {
    CliRun first = CliRun.of("demo", "--dir", dir.toString(), "--port", "0", "--no-wait");
    byte[] trained = Files.readAllBytes(dir.resolve("models/clicks/1/model.onnx"));
    CliRun second = CliRun.of("demo", "--dir", dir.toString(), "--port", "0", "--no-wait");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("using the model already in").doesNotContain("training");
    assertThat(Files.readAllBytes(dir.resolve("models/clicks/1/model.onnx"))).isEqualTo(trained);
    assertThat(lineAfter(second.out(), "  response: ")).isEqualTo(lineAfter(first.out(), "  response: "));
  }

  @Test
  void refusesAPortOutOfRange() {
    CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--port", "70000", "--no-wait");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).startsWith("error: --port must be 0-65535");
  }

  @Test
  void reportsAPortThatIsAlreadyTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--port", Integer.toString(taken.getLocalPort()),
          "--no-wait");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).startsWith("error: cannot start the serving runtime on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  private static String lineAfter(String out, String prefix) {
    return out.lines().filter(line -> line.startsWith(prefix)).findFirst()
        .map(line -> line.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + out));
  }
}
