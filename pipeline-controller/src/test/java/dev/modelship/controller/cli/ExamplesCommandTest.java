package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.examples.ClickData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void generateDataWritesTheRequestedRowsAndSaysWhere() throws Exception {
    CliRun run = CliRun.of("examples", "generate-data", "--out", dir.toString(), "--rows", "250", "--seed", "3",
        "--drift", "0.5");

    Path csv = dir.resolve("clicks.csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 250 rows").contains(csv.toString());
    assertThat(Files.readAllLines(csv)).hasSize(251);
    Path expected = dir.resolve("expected.csv");
    ClickData.writeCsv(expected, ClickData.generate(3, 250, 0.5));
    assertThat(Files.readAllBytes(csv)).isEqualTo(Files.readAllBytes(expected));
  }

  @Test
  void generateDataWritesANamedFile() {
    CliRun run = CliRun.of("examples", "generate-data", "--out", dir.toString(), "--rows", "10", "--file",
        "drifted.csv");

    assertThat(run.exitCode()).isZero();
    assertThat(dir.resolve("drifted.csv")).isRegularFile();
  }

  @Test
  void generateDataRejectsDriftAboveOneWithAClearError() {
    CliRun run = CliRun.of("examples", "generate-data", "--out", dir.toString(), "--drift", "2");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).startsWith("error: --drift must be between 0 and 1");
    assertThat(dir.resolve("clicks.csv")).doesNotExist();
  }

  @Test
  void generateDataRejectsAFileNameWithAPath() {
    CliRun run = CliRun.of("examples", "generate-data", "--out", dir.toString(), "--file", "../x.csv");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).startsWith("error: --file must be a plain file name");
  }

  @Test
  void mlpModelIsWrittenIntoTheRepositoryWithAMatchingExampleRequest() throws Exception {
    CliRun run = CliRun.of("examples", "model", "--out", dir.toString(), "--kind", "mlp", "--name", "bench",
        "--version", "2", "--features", "24", "--hidden", "16", "--layers", "2", "--classes", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Path file = dir.resolve("bench/2/model.onnx");
    assertThat(file).isRegularFile();
    assertThat(run.out()).contains(file.toString()).contains("input:FP32[-1, 24]").contains("output:FP32[-1, 3]");
    JsonNode input = exampleRequest(run.out()).path("inputs").get(0);
    assertThat(input.path("name").asText()).isEqualTo("input");
    assertThat(input.path("shape").toString()).isEqualTo("[1,24]");
    assertThat(input.path("datatype").asText()).isEqualTo("FP32");
    assertThat(input.path("data").size()).isEqualTo(24);
  }

  @Test
  void logisticModelIsTrainedCheckedOnHeldOutRowsAndShownWithARealRow() throws Exception {
    CliRun run = CliRun.of("examples", "model", "--out", dir.toString(), "--rows", "2000");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(dir.resolve("clicks/1/model.onnx")).isRegularFile();
    assertThat(run.out()).contains("input:FP32[-1, 8]").contains("held-out 2000 rows: accuracy")
        .contains("output column 1 is P(clicked)");
    JsonNode input = exampleRequest(run.out()).path("inputs").get(0);
    assertThat(input.path("shape").toString()).isEqualTo("[1,8]");
    assertThat(input.path("data").size()).isEqualTo(8);
  }

  @Test
  void logisticModelRefusesMlpOnlyOptions() {
    CliRun run = CliRun.of("examples", "model", "--out", dir.toString(), "--hidden", "64");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("error: --hidden applies to --kind mlp only");
    assertThat(dir.resolve("clicks")).doesNotExist();
  }

  @Test
  void mlpModelRejectsAShapeThatMakesNoModel() {
    CliRun run = CliRun.of("examples", "model", "--out", dir.toString(), "--kind", "mlp", "--classes", "1");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).startsWith("error: no such MLP").contains("classes must be at least 2");
    assertThat(dir.resolve("mlp")).doesNotExist();
  }

  @Test
  void modelRejectsAnInvalidName() {
    CliRun run = CliRun.of("examples", "model", "--out", dir.toString(), "--kind", "mlp", "--features", "4",
        "--hidden", "4", "--name", "../up");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).startsWith("error: ").contains("not a valid model name");
  }

  @Test
  void modelHelpDescribesTheModelVersionOptionWithoutAskingForOut() {
    CliRun run = CliRun.of("examples", "model", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--version=<version>").contains("Model version").contains("--kind");
  }

  @Test
  void examplesWithoutASubcommandListsThem() {
    CliRun run = CliRun.of("examples");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("generate-data").contains("model");
  }

  /** The JSON line that follows "example V2 request body". */
  private static JsonNode exampleRequest(String out) throws Exception {
    List<String> lines = out.lines().toList();
    for (int i = 0; i < lines.size() - 1; i++) {
      if (lines.get(i).startsWith("example V2 request body")) {
        return JSON.readTree(lines.get(i + 1));
      }
    }
    throw new AssertionError("no example request in:\n" + out);
  }
}
