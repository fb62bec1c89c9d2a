package dev.modelship.serving.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;

/** The reference: ONNX Runtime called directly, the way a notebook would. */
public final class InProcessOrt {
  private InProcessOrt() {
  }

  /** Runs a single-input FP32 model and returns its first output. */
  public static float[][] run(Path modelFile, String input, float[][] rows) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
         OrtSession session = env.createSession(modelFile.toString(), options);
         OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
         OrtSession.Result result = session.run(Map.of(input, tensor))) {
      return (float[][]) result.get(0).getValue();
    }
  }
}
