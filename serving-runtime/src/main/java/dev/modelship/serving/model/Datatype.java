package dev.modelship.serving.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.util.Locale;
import java.util.Optional;

/** Tensor element types the server accepts, named as in the Open Inference Protocol. */
public enum Datatype {
  BOOL(1, OnnxJavaType.BOOL, false, true),
  UINT8(1, OnnxJavaType.UINT8, false, false),
  INT8(1, OnnxJavaType.INT8, false, false),
  INT16(2, OnnxJavaType.INT16, false, false),
  INT32(4, OnnxJavaType.INT32, false, false),
  INT64(8, OnnxJavaType.INT64, false, false),
  FP32(4, OnnxJavaType.FLOAT, true, false),
  FP64(8, OnnxJavaType.DOUBLE, true, false);

  private final int byteSize;
  private final OnnxJavaType onnxJavaType;
  private final boolean floatingPoint;
  private final boolean bool;

  Datatype(int byteSize, OnnxJavaType onnxJavaType, boolean floatingPoint, boolean bool) {
    this.byteSize = byteSize;
    this.onnxJavaType = onnxJavaType;
    this.floatingPoint = floatingPoint;
    this.bool = bool;
  }

  public int byteSize() {
    return byteSize;
  }

  public OnnxJavaType onnxJavaType() {
    return onnxJavaType;
  }

  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  public boolean isBool() {
    return bool;
  }

  /** Smallest and largest value an integer type holds; meaningless for FP and BOOL. */
  public long minValue() {
    switch (this) {
      case UINT8: return 0;
      case INT8: return Byte.MIN_VALUE;
      case INT16: return Short.MIN_VALUE;
      case INT32: return Integer.MIN_VALUE;
      default: return Long.MIN_VALUE;
    }
  }

  public long maxValue() {
    switch (this) {
      case UINT8: return 255;
      case INT8: return Byte.MAX_VALUE;
      case INT16: return Short.MAX_VALUE;
      case INT32: return Integer.MAX_VALUE;
      default: return Long.MAX_VALUE;
    }
  }

  /** The protocol name, e.g. {@code FP32}; empty for a name this server does not support. */
  public static Optional<Datatype> fromProtocolName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }

  /** The datatype of an ONNX tensor element type; empty for types the server cannot serve (strings, FP16...). */
  public static Optional<Datatype> fromOnnx(OnnxTensorType type) {
    switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: return Optional.of(BOOL);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8: return Optional.of(UINT8);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8: return Optional.of(INT8);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16: return Optional.of(INT16);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: return Optional.of(INT32);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: return Optional.of(INT64);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: return Optional.of(FP32);
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE: return Optional.of(FP64);
      default: return Optional.empty();
    }
  }
}
