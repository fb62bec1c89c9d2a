package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.registry.ModelManifest.Task;
import dev.modelship.controller.validate.CheckResult.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputSanityCheckTest {
  private static final int[] LINES = {2, 3, 4};

  private static Map<String, double[][]> outputs(double[][] prediction) {
    Map<String, double[][]> outputs = new LinkedHashMap<>();
    outputs.put("output", prediction);
    return outputs;
  }

  @Test
  void passesProbabilityRowsThatSumToOne() {
    CheckResult result = OutputSanityCheck.judge(Task.CLASSIFICATION,
        outputs(new double[][] {{0.2, 0.8}, {1.0, 0.0}, {0.5, 0.5004}}), "output", LINES);

    assertThat(result.status()).isEqualTo(Status.PASSED);
  }

  @Test
  void rejectsNaNNamingTheOutputAndTheHoldoutLine() {
    CheckResult result = OutputSanityCheck.judge(Task.CLASSIFICATION,
        outputs(new double[][] {{0.2, 0.8}, {Double.NaN, Double.NaN}, {Double.NaN, 0.1}}), "output", LINES);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.measured()).isEqualTo(2.0);
    assertThat(result.threshold()).isEqualTo(0.0);
    assertThat(result.message()).isEqualTo("2 output row(s) not sane; first: output 'output' for holdout.csv line 3: "
        + "column 0 is NaN");
  }

  @Test
  void rejectsProbabilitiesThatDoNotSumToOne() {
    CheckResult result = OutputSanityCheck.judge(Task.CLASSIFICATION,
        outputs(new double[][] {{0.2, 0.7}}), "output", LINES);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.message()).contains("sum to 0.900000");
  }

  @Test
  void rejectsAProbabilityOutsideZeroToOne() {
    CheckResult result = OutputSanityCheck.judge(Task.CLASSIFICATION,
        outputs(new double[][] {{1.5, -0.5}}), "output", LINES);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.message()).contains("column 0 is 1.5, not a probability");
  }

  @Test
  void regressionOutputsNeedOnlyBeFinite() {
    assertThat(OutputSanityCheck.judge(Task.REGRESSION, outputs(new double[][] {{-1e9}, {42}}), "output", LINES)
        .status()).isEqualTo(Status.PASSED);
    assertThat(OutputSanityCheck.judge(Task.REGRESSION,
        outputs(new double[][] {{1}, {Double.POSITIVE_INFINITY}}), "output", LINES).message())
        .contains("line 3: column 0 is Infinity");
  }

  @Test
  void everyOutputMustBeFiniteNotOnlyThePrediction() {
    Map<String, double[][]> outputs = outputs(new double[][] {{0.4, 0.6}});
    outputs.put("logits", new double[][] {{Double.NEGATIVE_INFINITY, 2}});

    CheckResult result = OutputSanityCheck.judge(Task.CLASSIFICATION, outputs, "output", LINES);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.message()).contains("output 'logits'");
  }
}
