package dev.modelship.controller.validate;

import dev.modelship.serving.model.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Can the challenger replace the champion without breaking a caller? Inputs must keep their names and
 * element types and accept every shape the champion accepted; outputs may be added, but every output of the
 * champion must still be there with the same element type and a shape callers already handle. A changed
 * feature order or class order is breaking too, even with identical tensors: the same request would mean
 * something else. Pure.
 */
public final class SignatureCheck {
  static final String CHECK = "signature";

  private SignatureCheck() {
  }

  public static CheckResult judge(ModelSignature challenger, ModelSignature champion, boolean allowBreaking) {
    List<String> breaking = breakingChanges(challenger, champion);
    double count = breaking.size();
    if (breaking.isEmpty()) {
      return CheckResult.passed(CHECK, 0.0, 0.0, "compatible with the champion: inputs " + challenger.inputs()
          + ", outputs " + challenger.outputs());
    }
    String listed = String.join("; ", breaking);
    return allowBreaking
        ? CheckResult.passed(CHECK, count, 0.0, "breaking changes allowed (--allow-breaking): " + listed)
        : CheckResult.failed(CHECK, count, 0.0, breaking.size() + " breaking change(s) against the champion: "
            + listed + " (pass --allow-breaking if callers are updated with it)");
  }

  /** Every way the challenger would break a caller of the champion, in words; empty when compatible. */
  public static List<String> breakingChanges(ModelSignature challenger, ModelSignature champion) {
    List<String> breaking = new ArrayList<>();
    Map<String, TensorSpec> newInputs = byName(challenger.inputs());
    Map<String, TensorSpec> oldInputs = byName(champion.inputs());
    for (TensorSpec old : champion.inputs()) {
      TensorSpec now = newInputs.get(old.name());
      if (now == null) {
        breaking.add("input '" + old.name() + "' is gone (inputs now " + newInputs.keySet() + ")");
      } else {
        tensorChange("input", old, now, acceptsEveryShapeOf(now, old), breaking);
      }
    }
    for (TensorSpec now : challenger.inputs()) {
      if (!oldInputs.containsKey(now.name())) {
        breaking.add("new required input '" + now.name() + "' that callers do not send");
      }
    }
    Map<String, TensorSpec> newOutputs = byName(challenger.outputs());
    for (TensorSpec old : champion.outputs()) {
      TensorSpec now = newOutputs.get(old.name());
      if (now == null) {
        breaking.add("output '" + old.name() + "' is gone (outputs now " + newOutputs.keySet() + ")");
      } else {
        tensorChange("output", old, now, acceptsEveryShapeOf(old, now), breaking);
      }
    }
    if (!challenger.features().equals(champion.features())) {
      breaking.add("feature order changed from " + champion.features() + " to " + challenger.features());
    }
    if (!challenger.classes().equals(champion.classes())) {
      breaking.add("class order changed from " + champion.classes() + " to " + challenger.classes());
    }
    return breaking;
  }

  private static void tensorChange(String kind, TensorSpec old, TensorSpec now, boolean shapeCompatible,
                                   List<String> breaking) {
    if (old.datatype() != now.datatype()) {
      breaking.add(kind + " '" + old.name() + "' changed type from " + old.datatype() + " to " + now.datatype());
    }
    if (!shapeCompatible) {
      breaking.add(kind + " '" + old.name() + "' changed shape from " + Arrays.toString(old.shape()) + " to "
          + Arrays.toString(now.shape()));
    }
  }

  /**
   * True when every concrete shape {@code narrow} admits is also admitted by {@code wide}: same rank, and each
   * dimension of {@code wide} is dynamic (-1) or equal.
   */
  static boolean acceptsEveryShapeOf(TensorSpec wide, TensorSpec narrow) {
    if (wide.rank() != narrow.rank()) {
      return false;
    }
    for (int d = 0; d < wide.rank(); d++) {
      if (wide.dim(d) >= 0 && wide.dim(d) != narrow.dim(d)) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, TensorSpec> byName(List<TensorSpec> specs) {
    return specs.stream().collect(Collectors.toMap(TensorSpec::name, Function.identity(), (a, b) -> a,
        java.util.LinkedHashMap::new));
  }
}
