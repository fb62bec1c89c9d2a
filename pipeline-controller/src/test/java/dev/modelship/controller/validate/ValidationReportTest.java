package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.ModelVersionRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationReportTest {
  static ValidationReport report(Outcome outcome, List<CheckResult> checks) {
    return new ValidationReport("clicks", null, "sha256:abc", null, null, outcome, checks,
        Map.of("accuracy", 0.61, "roc_auc", Double.NaN), null, "2026-01-02T03:04:05Z");
  }

  private static final List<CheckResult> CHECKS = List.of(
      CheckResult.passed("integrity.onnx", "ONNX model"),
      CheckResult.failed("quality.accuracy", 0.61, 0.70, "accuracy 0.6100 < accuracy_min 0.7000"),
      CheckResult.skipped("latency", "no budget"));

  @Test
  void roundTripsThroughJsonWithTheOutcomeField() throws Exception {
    ValidationReport report = report(Outcome.REJECTED, CHECKS).withVersion(new ModelVersionRef("clicks", 3));

    String json = report.toJson();
    JsonNode tree = new ObjectMapper().readTree(json);

    assertThat(tree.get("outcome").asText()).isEqualTo("REJECTED");
    assertThat(tree.get("version").asText()).isEqualTo("3");
    assertThat(tree.get("checks").get(1).get("measured").asDouble()).isEqualTo(0.61);
    assertThat(tree.get("checks").get(0).has("measured")).isFalse();
    ValidationReport back = ValidationReport.fromJson(json);
    assertThat(back.checks()).isEqualTo(report.checks());
    assertThat(back.metrics().get("roc_auc")).isNaN();
    assertThat(back.outcome()).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void summaryHasAHeadingThenOneLinePerCheck() {
    String summary = report(Outcome.REJECTED, CHECKS).withChampion("clicks:2").summary();

    assertThat(summary.lines()).hasSize(1 + CHECKS.size());
    assertThat(summary.lines().findFirst().orElseThrow()).isEqualTo("clicks (sha256:abc) against clicks:2: REJECTED");
    assertThat(summary).contains("FAILED   quality.accuracy").contains("0.6100 (bar 0.7000)")
        .contains("accuracy 0.6100 < accuracy_min 0.7000");
  }

  @Test
  void failuresAreTheFailedChecks() {
    assertThat(report(Outcome.REJECTED, CHECKS).failures()).extracting(CheckResult::check)
        .containsExactly("quality.accuracy");
  }

  @Test
  void refusesToFileAReportUnderAnotherModelsName() {
    assertThatThrownBy(() -> report(Outcome.PASSED, CHECKS).withVersion(new ModelVersionRef("other", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'clicks'");
  }
}
