package dev.modelship.controller.examples;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Opens an ONNX file in ONNX Runtime, as the tests' independent check of what the writers produced. */
final class OrtProbe implements AutoCloseable {
  final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtProbe(Path onnxFile) throws OrtException {
    session = env.createSession(onnxFile.toString());
  }

  /** Name to shape, in the graph's order; -1 for a dynamic dimension. */
  Map<String, long[]> inputShapes() throws OrtException {
    return shapes(session.getInputInfo());
  }

  Map<String, long[]> outputShapes() throws OrtException {
    return shapes(session.getOutputInfo());
  }

  /** Runs {@code rows} through input {@code input} and returns output {@code output}. */
  float[][] run(String input, String output, float[][] rows) throws OrtException {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
         OrtSession.Result result = session.run(Map.of(input, tensor))) {
      return (float[][]) result.get(output).orElseThrow().getValue();
    }
  }

  private static Map<String, long[]> shapes(Map<String, NodeInfo> infos) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    infos.forEach((name, info) -> shapes.put(name, ((TensorInfo) info.getInfo()).getShape()));
    return shapes;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
