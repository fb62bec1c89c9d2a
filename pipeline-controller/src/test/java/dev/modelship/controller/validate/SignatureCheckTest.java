package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.validate.CheckResult.Status;
import dev.modelship.serving.model.Datatype;
import dev.modelship.serving.model.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {
  private static final List<String> FEATURES = List.of("a", "b");
  private static final List<String> CLASSES = List.of("0", "1");

  private static TensorSpec tensor(String name, Datatype type, long... shape) {
    return new TensorSpec(name, type, shape);
  }

  private static ModelSignature signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    return new ModelSignature(inputs, outputs, FEATURES, CLASSES);
  }

  private static final ModelSignature CHAMPION = signature(List.of(tensor("input", Datatype.FP32, -1, 2)),
      List.of(tensor("output", Datatype.FP32, -1, 2)));

  @Test
  void acceptsAnIdenticalSignature() {
    CheckResult result = SignatureCheck.judge(CHAMPION, CHAMPION, false);

    assertThat(result.status()).isEqualTo(Status.PASSED);
    assertThat(result.measured()).isZero();
  }

  @Test
  void rejectsModelWhoseInputNameChanged() {
    ModelSignature renamed = signature(List.of(tensor("features", Datatype.FP32, -1, 2)), CHAMPION.outputs());

    CheckResult result = SignatureCheck.judge(renamed, CHAMPION, false);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.measured()).isEqualTo(2.0);
    assertThat(result.message()).contains("input 'input' is gone").contains("new required input 'features'")
        .contains("--allow-breaking");
  }

  @Test
  void allowBreakingAcceptsTheChangeButStillListsIt() {
    ModelSignature renamed = signature(List.of(tensor("features", Datatype.FP32, -1, 2)), CHAMPION.outputs());

    CheckResult result = SignatureCheck.judge(renamed, CHAMPION, true);

    assertThat(result.status()).isEqualTo(Status.PASSED);
    assertThat(result.message()).startsWith("breaking changes allowed").contains("input 'input' is gone");
  }

  @Test
  void rejectsAChangedInputType() {
    ModelSignature doubles = signature(List.of(tensor("input", Datatype.FP64, -1, 2)), CHAMPION.outputs());

    assertThat(SignatureCheck.breakingChanges(doubles, CHAMPION))
        .containsExactly("input 'input' changed type from FP32 to FP64");
  }

  @Test
  void anInputMayAcceptMoreShapesButNotFewer() {
    ModelSignature fixedBatch = signature(List.of(tensor("input", Datatype.FP32, 1, 2)), CHAMPION.outputs());
    ModelSignature anyWidth = signature(List.of(tensor("input", Datatype.FP32, -1, -1)), CHAMPION.outputs());
    ModelSignature wider = signature(List.of(tensor("input", Datatype.FP32, -1, 3)), CHAMPION.outputs());

    assertThat(SignatureCheck.breakingChanges(fixedBatch, CHAMPION))
        .containsExactly("input 'input' changed shape from [-1, 2] to [1, 2]");
    assertThat(SignatureCheck.breakingChanges(anyWidth, CHAMPION)).isEmpty();
    assertThat(SignatureCheck.breakingChanges(wider, CHAMPION)).hasSize(1);
  }

  @Test
  void outputsMayBeAddedButNotRemovedOrLoosened() {
    ModelSignature extraOutput = signature(CHAMPION.inputs(), List.of(tensor("output", Datatype.FP32, -1, 2),
        tensor("logits", Datatype.FP32, -1, 2)));
    ModelSignature noOutput = signature(CHAMPION.inputs(), List.of(tensor("scores", Datatype.FP32, -1, 2)));
    ModelSignature loosened = signature(CHAMPION.inputs(), List.of(tensor("output", Datatype.FP32, -1, -1)));

    assertThat(SignatureCheck.breakingChanges(extraOutput, CHAMPION)).isEmpty();
    assertThat(SignatureCheck.breakingChanges(noOutput, CHAMPION)).singleElement().asString()
        .contains("output 'output' is gone");
    assertThat(SignatureCheck.breakingChanges(loosened, CHAMPION)).singleElement().asString()
        .contains("changed shape from [-1, 2] to [-1, -1]");
  }

  @Test
  void rejectsAChangedFeatureOrderEvenWithIdenticalTensors() {
    ModelSignature reordered = new ModelSignature(CHAMPION.inputs(), CHAMPION.outputs(), List.of("b", "a"), CLASSES);

    assertThat(SignatureCheck.breakingChanges(reordered, CHAMPION))
        .containsExactly("feature order changed from [a, b] to [b, a]");
  }

  @Test
  void rejectsAChangedClassOrder() {
    ModelSignature reordered = new ModelSignature(CHAMPION.inputs(), CHAMPION.outputs(), FEATURES, List.of("1", "0"));

    assertThat(SignatureCheck.breakingChanges(reordered, CHAMPION))
        .containsExactly("class order changed from [0, 1] to [1, 0]");
  }
}
