package dev.modelship.controller.examples;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A multi-layer perceptron written straight as ONNX protobuf, for load and latency work where the weights do not
 * matter but the size and the arithmetic do: {@code input} FP32 [batch, features], then per hidden layer
 * {@code Gemm} and {@code Relu}, then {@code Gemm} and {@code Softmax} to {@code output} FP32 [batch, classes].
 */
public final class MlpOnnxWriter {
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";
  static final int IR_VERSION = 8;
  static final int OPSET = 17;

  private final int features;
  private final int hidden;
  private final int hiddenLayers;
  private final int classes;
  private final long seed;

  public MlpOnnxWriter(int features, int hidden, int hiddenLayers, int classes, long seed) {
    requireAtLeast("features", features, 1);
    requireAtLeast("hidden", hidden, 1);
    requireAtLeast("hiddenLayers", hiddenLayers, 0);
    requireAtLeast("classes", classes, 2);
    long weights = (long) features * hidden + (long) hidden * hidden * Math.max(0, hiddenLayers - 1)
        + (long) (hiddenLayers == 0 ? features : hidden) * classes;
    // One raw_data field per layer must fit a Java array, and the whole file protobuf's 2 GB limit.
    if (weights > 400_000_000L) {
      throw new IllegalArgumentException("an MLP with " + weights + " weights is larger than this writer supports "
          + "(400,000,000 weights, 1.6 GB)");
    }
    this.features = features;
    this.hidden = hidden;
    this.hiddenLayers = hiddenLayers;
    this.classes = classes;
    this.seed = seed;
  }

  /** Writes the model; the same arguments always give the same bytes. */
  public void write(Path onnxFile) throws IOException {
    OnnxMl.ModelProto model = build();
    try (OutputStream out = Files.newOutputStream(onnxFile)) {
      model.writeTo(out);
    }
  }

  OnnxMl.ModelProto build() {
    OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder()
        .setName("mlp_" + features + "x" + hidden + "x" + hiddenLayers + "x" + classes)
        .addInput(tensorValue(INPUT, features))
        .addOutput(tensorValue(OUTPUT, classes));
    Random random = new Random(seed);
    String previous = INPUT;
    int width = features;
    for (int layer = 0; layer <= hiddenLayers; layer++) {
      boolean last = layer == hiddenLayers;
      int next = last ? classes : hidden;
      String weights = "layer" + layer + ".weight";
      String bias = "layer" + layer + ".bias";
      String linear = "layer" + layer + ".linear";
      graph.addInitializer(floatTensor(weights, uniformByFanIn(random, width * next, width), width, next))
          .addInitializer(floatTensor(bias, uniformByFanIn(random, next, width), next))
          .addNode(gemm(linear, previous, weights, bias));
      String activated = last ? OUTPUT : "layer" + layer + ".relu";
      OnnxMl.NodeProto.Builder activation = unary(last ? "Softmax" : "Relu", activated, linear);
      if (last) {
        activation.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
            .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(-1));
      }
      graph.addNode(activation);
      previous = activated;
      width = next;
    }
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("modelship")
        .setDomain("dev.modelship.examples")
        .setModelVersion(1)
        .setDocString("Example MLP with seeded random weights; its predictions mean nothing.")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph)
        .build();
  }

  /** {@code output = input x weights + bias}, weights stored [in, out]. */
  private static OnnxMl.NodeProto.Builder gemm(String output, String input, String weights, String bias) {
    return OnnxMl.NodeProto.newBuilder().setOpType("Gemm").setName(output)
        .addInput(input).addInput(weights).addInput(bias).addOutput(output);
  }

  private static OnnxMl.NodeProto.Builder unary(String op, String output, String input) {
    return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addInput(input).addOutput(output);
  }

  /** Uniform in ±1/sqrt(fan_in), as PyTorch initialises a Linear layer, so activations stay in a sane range. */
  private static float[] uniformByFanIn(Random random, int count, int fanIn) {
    float bound = (float) (1 / Math.sqrt(fanIn));
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (random.nextFloat() * 2 - 1) * bound;
    }
    return values;
  }

  private static OnnxMl.TensorProto floatTensor(String name, float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(bytes));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    return tensor.build();
  }

  /** A FP32 tensor of shape [batch, columns], the batch dimension symbolic so that any batch size is accepted. */
  private static OnnxMl.ValueInfoProto tensorValue(String name, int columns) {
    OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns))
        .build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(
            OnnxMl.TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.getNumber()).setShape(shape)))
        .build();
  }

  private static void requireAtLeast(String what, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
    }
  }
}
