package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.validate.CheckResult.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityCheckTest {
  @TempDir
  Path dir;

  @BeforeEach
  void writePackage() throws Exception {
    OnnxFiles.mlp(dir.resolve("model.onnx"), 3);
    new ModelManifest("mlp", ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), "y",
        List.of("a", "b", "c"), List.of("0", "1"), null, null, null, null, null).write(dir.resolve("modelship.yaml"));
  }

  private IntegrityCheck.Findings check(Optional<String> digest, long maxBytes) throws Exception {
    return IntegrityCheck.check(ModelPackage.fromDirectory(dir), digest, maxBytes);
  }

  private static CheckResult result(IntegrityCheck.Findings findings, String check) {
    return findings.results().stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow();
  }

  @Test
  void passesAWellFormedPackage() throws Exception {
    IntegrityCheck.Findings findings = check(Optional.empty(), 1 << 20);

    assertThat(findings.passed()).isTrue();
    assertThat(findings.manifest().name()).isEqualTo("mlp");
    assertThat(findings.results()).extracting(CheckResult::check).containsExactly("integrity.digest",
        "integrity.manifest", "integrity.size", "integrity.onnx", "integrity.opset");
    assertThat(result(findings, "integrity.digest").status()).isEqualTo(Status.SKIPPED);
    assertThat(result(findings, "integrity.opset").measured()).isEqualTo(17.0);
  }

  @Test
  void rejectsATruncatedModelFileWithAClearMessage() throws Exception {
    OnnxFiles.truncate(dir.resolve("model.onnx"));

    IntegrityCheck.Findings findings = check(Optional.empty(), 1 << 20);

    assertThat(findings.passed()).isFalse();
    CheckResult onnx = result(findings, "integrity.onnx");
    assertThat(onnx.status()).isEqualTo(Status.FAILED);
    assertThat(onnx.message()).startsWith("model.onnx is not an ONNX model (truncated or corrupt?)");
  }

  @Test
  void rejectsBytesThatParseAsProtobufButHoldNoGraph() throws Exception {
    Files.write(dir.resolve("model.onnx"), new byte[] {8, 7});

    CheckResult onnx = result(check(Optional.empty(), 1 << 20), "integrity.onnx");

    assertThat(onnx.status()).isEqualTo(Status.FAILED);
    assertThat(onnx.message()).contains("parses as protobuf but is not an ONNX model").contains("0 graph node(s)");
  }

  @Test
  void rejectsAnOpsetNewerThanTheServingRuntimeImplements() throws Exception {
    OnnxFiles.setDefaultOpset(dir.resolve("model.onnx"), 30);

    CheckResult opset = result(check(Optional.empty(), 1 << 20), "integrity.opset");

    assertThat(opset.status()).isEqualTo(Status.FAILED);
    assertThat(opset.measured()).isEqualTo(30.0);
    assertThat(opset.threshold()).isEqualTo(23.0);
    assertThat(opset.message()).contains("opset 30 > 23");
  }

  @Test
  void rejectsAModelWithoutADefaultDomainOpset() throws Exception {
    OnnxFiles.edit(dir.resolve("model.onnx"), model -> model.clearOpsetImport());

    assertThat(result(check(Optional.empty(), 1 << 20), "integrity.opset").message())
        .contains("imports no opset of the default ONNX domain");
  }

  @Test
  void rejectsAModelOverTheSizeLimitWithoutParsingIt() throws Exception {
    long size = Files.size(dir.resolve("model.onnx"));

    IntegrityCheck.Findings findings = check(Optional.empty(), size - 1);

    CheckResult tooBig = result(findings, "integrity.size");
    assertThat(tooBig.status()).isEqualTo(Status.FAILED);
    assertThat(tooBig.measured()).isEqualTo((double) size);
    assertThat(tooBig.threshold()).isEqualTo((double) (size - 1));
    assertThat(result(findings, "integrity.onnx").status()).isEqualTo(Status.SKIPPED);
  }

  @Test
  void checksTheDigestAgainstTheFilesAsTheyAreNow() throws Exception {
    ModelPackage pkg = ModelPackage.fromDirectory(dir);
    String published = pkg.digest();
    assertThat(result(IntegrityCheck.check(pkg, Optional.of(published), 1 << 20), "integrity.digest").status())
        .isEqualTo(Status.PASSED);

    Files.writeString(dir.resolve("modelship.yaml"), "\n# edited after publishing\n",
        java.nio.file.StandardOpenOption.APPEND);

    CheckResult digest = result(IntegrityCheck.check(pkg, Optional.of(published), 1 << 20), "integrity.digest");
    assertThat(digest.status()).isEqualTo(Status.FAILED);
    assertThat(digest.message()).contains("differs from the expected " + published);
  }

  @Test
  void rejectsAnInvalidManifest() throws Exception {
    Files.writeString(dir.resolve("modelship.yaml"), "name: mlp\ntask: clustering\ninputs: [input]\noutputs: [o]\n");

    IntegrityCheck.Findings findings = check(Optional.empty(), 1 << 20);

    assertThat(findings.passed()).isFalse();
    assertThat(result(findings, "integrity.manifest").message()).contains("classification or regression");
  }
}
