package dev.modelship.serving.batching;

import dev.modelship.serving.model.Datatype;
import dev.modelship.serving.model.TensorData;
import java.nio.ByteBuffer;
import java.util.Optional;

/** Finds NaN and Inf in floating-point outputs: a model that breaks on live data must fail visibly. */
public final class OutputGuard {
  private final boolean allowNonFinite;
  private final String[] outputNames;

  public OutputGuard(boolean allowNonFinite, String[] outputNames) {
    this.allowNonFinite = allowNonFinite;
    this.outputNames = outputNames.clone();
  }

  /** A description of the first non-finite value, or empty when the outputs are acceptable. */
  public Optional<String> check(TensorData[] outputs) {
    if (allowNonFinite) {
      return Optional.empty();
    }
    for (int o = 0; o < outputs.length; o++) {
      TensorData output = outputs[o];
      if (output == null || !output.datatype().isFloatingPoint()) {
        continue;
      }
      long index = firstNonFinite(output);
      if (index >= 0) {
        return Optional.of("non-finite output: '" + outputNames[o] + "' element " + index + " is "
            + valueAt(output, index) + " (set allow_non_finite_outputs: true in model.yaml to allow)");
      }
    }
    return Optional.empty();
  }

  private static long firstNonFinite(TensorData output) {
    ByteBuffer values = output.values();
    long count = output.elementCount();
    if (output.datatype() == Datatype.FP32) {
      for (int i = 0; i < count; i++) {
        if (!Float.isFinite(values.getFloat(i * 4))) {
          return i;
        }
      }
    } else {
      for (int i = 0; i < count; i++) {
        if (!Double.isFinite(values.getDouble(i * 8))) {
          return i;
        }
      }
    }
    return -1;
  }

  private static String valueAt(TensorData output, long index) {
    ByteBuffer values = output.values();
    return output.datatype() == Datatype.FP32
        ? Float.toString(values.getFloat((int) index * 4))
        : Double.toString(values.getDouble((int) index * 8));
  }
}
