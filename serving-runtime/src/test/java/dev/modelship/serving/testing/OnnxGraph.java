package dev.modelship.serving.testing;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small builder over the ONNX protobuf, enough to write the graphs the tests serve. */
public final class OnnxGraph {
  /** Dimension value that becomes the symbolic (dynamic) dimension "batch". */
  public static final long DYNAMIC = -1;

  private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("test");
  private int nodes;

  public OnnxGraph input(String name, DataType type, long... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return this;
  }

  public OnnxGraph output(String name, DataType type, long... dims) {
    graph.addOutput(valueInfo(name, type, dims));
    return this;
  }

  public OnnxGraph node(String op, String[] inputs, String[] outputs, OnnxMl.AttributeProto... attributes) {
    OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "_" + nodes++);
    for (String input : inputs) {
      node.addInput(input);
    }
    for (String output : outputs) {
      node.addOutput(output);
    }
    for (OnnxMl.AttributeProto attribute : attributes) {
      node.addAttribute(attribute);
    }
    graph.addNode(node);
    return this;
  }

  public OnnxGraph node(String op, String input, String output, OnnxMl.AttributeProto... attributes) {
    return node(op, new String[] {input}, new String[] {output}, attributes);
  }

  public OnnxGraph floatInitializer(String name, float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putFloat(value);
    }
    bytes.flip();
    OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder()
        .setName(name).setDataType(DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes));
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    graph.addInitializer(tensor);
    return this;
  }

  public static OnnxMl.AttributeProto intAttribute(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder().setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
  }

  public byte[] toBytes() {
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("modelship-tests")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  public Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, toBytes());
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, DataType type, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(dim == DYNAMIC
          ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name)
        .setType(OnnxMl.TypeProto.newBuilder().setTensorType(
            OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }
}
