package dev.modelship.controller.validate;

import ai.onnx.proto.OnnxMl;
import dev.modelship.controller.examples.ExampleModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/** ONNX files for gate tests: written from scratch, or a real model edited into a broken one. */
final class OnnxFiles {
  private OnnxFiles() {
  }

  /** A small valid classifier: input [batch, features], output [batch, 2] probabilities. */
  static void mlp(Path file, int features) throws IOException {
    ExampleModels.writeMlp(file, features, 4, 1, 2, 1);
  }

  static OnnxMl.ModelProto read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return OnnxMl.ModelProto.parseFrom(in);
    }
  }

  static void write(Path file, OnnxMl.ModelProto model) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      model.writeTo(out);
    }
  }

  static void edit(Path file, UnaryOperator<OnnxMl.ModelProto.Builder> change) throws IOException {
    write(file, change.apply(read(file).toBuilder()).build());
  }

  /** Renames a graph input everywhere it is used. */
  static void renameInput(Path file, String from, String to) throws IOException {
    edit(file, model -> {
      OnnxMl.GraphProto.Builder graph = model.getGraphBuilder();
      for (OnnxMl.ValueInfoProto.Builder input : graph.getInputBuilderList()) {
        if (input.getName().equals(from)) {
          input.setName(to);
        }
      }
      for (OnnxMl.NodeProto.Builder node : graph.getNodeBuilderList()) {
        for (int i = 0; i < node.getInputCount(); i++) {
          if (node.getInput(i).equals(from)) {
            node.setInput(i, to);
          }
        }
      }
      return model;
    });
  }

  static void setDefaultOpset(Path file, long opset) throws IOException {
    edit(file, model -> {
      model.clearOpsetImport();
      return model.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
    });
  }

  static void truncate(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
  }

  /**
   * A "classifier" whose output is {@code sqrt(-sum(x) - 1)}: NaN for every row of non-negative features, with
   * the signature of a real one (input [batch, features] FP32, output [batch, 2] FP32).
   */
  static void nanClassifier(Path file, int features) throws IOException {
    float[] minusOnes = new float[features * 2];
    Arrays.fill(minusOnes, -1f);
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("nan")
        .addInitializer(floats("weights", minusOnes, features, 2))
        .addInitializer(floats("bias", new float[] {-1f, -1f}, 2))
        .addNode(node("MatMul", "summed", "input", "weights"))
        .addNode(node("Add", "shifted", "summed", "bias"))
        .addNode(node("Sqrt", "output", "shifted"))
        .addInput(tensor("input", features))
        .addOutput(tensor("output", 2))
        .build();
    write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("modelship-tests").setGraph(graph)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).build());
  }

  private static OnnxMl.NodeProto node(String op, String output, String... inputs) {
    return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(Arrays.asList(inputs))
        .addOutput(output).build();
  }

  private static OnnxMl.TensorProto floats(String name, float[] values, long... dims) {
    OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    for (float value : values) {
      tensor.addFloatData(value);
    }
    return tensor.build();
  }

  private static OnnxMl.ValueInfoProto tensor(String name, long width) {
    OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
        .build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
  }
}
