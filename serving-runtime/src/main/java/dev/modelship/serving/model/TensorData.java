package dev.modelship.serving.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor's values: element type, concrete shape and the row-major elements in native byte order.
 * BOOL elements are one byte each, 0 or 1.
 */
public record TensorData(Datatype datatype, long[] shape, ByteBuffer data) {

  public TensorData {
    shape = shape.clone();
    data = data.duplicate().order(ByteOrder.nativeOrder());
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long dim(int index) {
    return shape[index];
  }

  public int rank() {
    return shape.length;
  }

  public long elementCount() {
    return elementCount(shape);
  }

  /** A read-only view positioned at element 0; callers may move its position freely. */
  public ByteBuffer values() {
    return data.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
  }

  public static long elementCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  @Override
  public String toString() {
    return datatype + Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorData
        && ((TensorData) other).datatype == datatype
        && Arrays.equals(((TensorData) other).shape, shape)
        && ((TensorData) other).data.equals(data);
  }

  @Override
  public int hashCode() {
    return 31 * datatype.hashCode() + Arrays.hashCode(shape);
  }
}
