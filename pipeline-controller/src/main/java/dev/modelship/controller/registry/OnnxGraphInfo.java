package dev.modelship.controller.registry;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code modelship.yaml} needs from an ONNX file: the graph's input and output names in graph order and its
 * metadata. Reading the protobuf is enough to tell an ONNX model from any other file; whether ONNX Runtime can run
 * it is the validation stage's question.
 *
 * @param inputs the graph inputs that are fed at inference time (initializers listed as inputs are left out)
 */
public record OnnxGraphInfo(List<String> inputs, List<String> outputs, Map<String, String> metadata) {

  public OnnxGraphInfo {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    metadata = Map.copyOf(metadata);
  }

  /** @throws RegistryException {@link RegistryException.Kind#INVALID} when the file is not an ONNX model */
  public static OnnxGraphInfo read(Path file) throws RegistryException {
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw notOnnx(file, "it does not parse as an ONNX ModelProto (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot read " + file + ": " + e, e);
    }
    if (model.getIrVersion() <= 0 || !model.hasGraph()) {
      throw notOnnx(file, "it has no ONNX IR version or no graph");
    }
    if (model.getOpsetImportCount() == 0) {
      throw notOnnx(file, "it imports no operator set");
    }
    OnnxMl.GraphProto graph = model.getGraph();
    Set<String> initializers = graph.getInitializerList().stream().map(OnnxMl.TensorProto::getName)
        .collect(Collectors.toSet());
    List<String> inputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      if (!initializers.contains(input.getName())) {
        inputs.add(input.getName());
      }
    }
    List<String> outputs = graph.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    if (inputs.isEmpty() || outputs.isEmpty() || inputs.contains("") || outputs.contains("")) {
      throw notOnnx(file, "its graph does not name its inputs and outputs");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    model.getMetadataPropsList().forEach(entry -> metadata.put(entry.getKey(), entry.getValue()));
    return new OnnxGraphInfo(inputs, outputs, metadata);
  }

  private static RegistryException notOnnx(Path file, String why) {
    return new RegistryException(RegistryException.Kind.INVALID, file + " is not an ONNX model: " + why);
  }
}
