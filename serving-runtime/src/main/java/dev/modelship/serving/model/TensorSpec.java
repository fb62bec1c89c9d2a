package dev.modelship.serving.model;

import java.util.Arrays;

/**
 * Name, element type and shape of one model input or output, as the ONNX graph declares it.
 * A dimension of {@code -1} is dynamic.
 */
public record TensorSpec(String name, Datatype datatype, long[] shape) {

  public TensorSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int index) {
    return shape[index];
  }

  /** True when the first dimension is dynamic, so requests can be stacked along it. */
  public boolean hasDynamicBatchDimension() {
    return shape.length > 0 && shape[0] == -1;
  }

  /** Elements in one row (all dimensions but the first), or -1 when one of them is dynamic. */
  public long fixedRowElements() {
    long elements = 1;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        return -1;
      }
      elements *= shape[i];
    }
    return elements;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec
        && ((TensorSpec) other).name.equals(name)
        && ((TensorSpec) other).datatype == datatype
        && Arrays.equals(((TensorSpec) other).shape, shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + datatype.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + datatype + Arrays.toString(shape);
  }
}
