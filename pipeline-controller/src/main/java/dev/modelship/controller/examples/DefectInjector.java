package dev.modelship.controller.examples;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a deliberately broken copy of a model for the demo: the same predictions, except that every row whose
 * feature column {@code column} is 0 gets NaN outputs (the copy adds {@code log(x[:, column]) * 0} to the output,
 * and log(0) * 0 is NaN). A model like that passes a validation gate whose holdout never has a 0 there, then fails
 * on live traffic that does: the kind of defect a canary exists to catch.
 */
public final class DefectInjector {
  private static final int MIN_OPSET = 13;

  private DefectInjector() {
  }

  /** Writes the broken copy of {@code source} to {@code target}. */
  public static void nanWhenZero(Path source, Path target, int column) throws IOException {
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(source)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    }
    OnnxMl.ModelProto broken = nanWhenZero(model, column);
    try (OutputStream out = Files.newOutputStream(target)) {
      broken.writeTo(out);
    }
  }

  static OnnxMl.ModelProto nanWhenZero(OnnxMl.ModelProto model, int column) {
    OnnxMl.GraphProto graph = model.getGraph();
    if (graph.getInputCount() < 1 || graph.getOutputCount() != 1) {
      throw new IllegalArgumentException("the defect goes into models with one input and one output, this one has "
          + graph.getInputCount() + " and " + graph.getOutputCount());
    }
    String input = graph.getInput(0).getName();
    String output = graph.getOutput(0).getName();
    String clean = output + ".before_defect";
    OnnxMl.GraphProto.Builder builder = graph.toBuilder();
    boolean renamed = false;
    for (OnnxMl.NodeProto.Builder node : builder.getNodeBuilderList()) {
      for (int i = 0; i < node.getOutputCount(); i++) {
        if (node.getOutput(i).equals(output)) {
          node.setOutput(i, clean);
          renamed = true;
        }
      }
    }
    if (!renamed) {
      throw new IllegalArgumentException("no node produces the output '" + output + "'");
    }
    builder.addInitializer(longs("defect.starts", column)).addInitializer(longs("defect.ends", column + 1L))
        .addInitializer(longs("defect.axes", 1L)).addInitializer(zero("defect.zero"))
        .addNode(node("Slice", "defect.column", input, "defect.starts", "defect.ends", "defect.axes"))
        .addNode(node("Log", "defect.log", "defect.column"))
        .addNode(node("Mul", "defect.nan_or_zero", "defect.log", "defect.zero"))
        .addNode(node("Add", output, clean, "defect.nan_or_zero"));
    OnnxMl.ModelProto.Builder result = model.toBuilder().setGraph(builder);
    for (OnnxMl.OperatorSetIdProto.Builder opset : result.getOpsetImportBuilderList()) {
      if (opset.getDomain().isEmpty() && opset.getVersion() < MIN_OPSET) {
        opset.setVersion(MIN_OPSET);
      }
    }
    return result.setDocString("DELIBERATELY BROKEN by modelship demo: NaN outputs when input column " + column
        + " is 0").build();
  }

  private static OnnxMl.NodeProto node(String op, String output, String... inputs) {
    OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    return node.build();
  }

  private static OnnxMl.TensorProto longs(String name, long value) {
    ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
    return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(DataType.INT64.getNumber()).addDims(1)
        .setRawData(ByteString.copyFrom(bytes.array())).build();
  }

  private static OnnxMl.TensorProto zero(String name) {
    ByteBuffer bytes = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(0f);
    return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(bytes.array())).build();
  }
}
