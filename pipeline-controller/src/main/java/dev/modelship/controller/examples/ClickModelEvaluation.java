package dev.modelship.controller.examples;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modelship.controller.validate.QualityMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How well an exported click model predicts held-out rows, scored by running the ONNX file in ONNX Runtime
 * exactly as the serving runtime will, so a broken export shows up here rather than in production.
 *
 * @param accuracy share of rows where {@code P(clicked) >= 0.5} matches the label
 * @param majorityBaseline accuracy of always predicting the more common label
 * @param auc probability that a random click is scored above a random non-click (0.5 = chance)
 */
public record ClickModelEvaluation(int rows, double accuracy, double majorityBaseline, double auc) {

  public static ClickModelEvaluation evaluate(OrtEnvironment env, Path onnxFile, ClickModel model,
                                              List<ClickData.Row> holdout) throws IOException {
    if (holdout.isEmpty()) {
      throw new IllegalArgumentException("no held-out rows to evaluate on");
    }
    double[] clickProbability = predict(env, onnxFile, model, holdout);
    boolean[] clicked = new boolean[holdout.size()];
    int correct = 0;
    int clicks = 0;
    for (int i = 0; i < clicked.length; i++) {
      clicked[i] = holdout.get(i).clicked();
      clicks += clicked[i] ? 1 : 0;
      correct += (clickProbability[i] >= 0.5) == clicked[i] ? 1 : 0;
    }
    double n = clicked.length;
    return new ClickModelEvaluation(clicked.length, correct / n, Math.max(clicks, n - clicks) / n,
        auc(clickProbability, clicked));
  }

  /** P(clicked) per row, from one batched ONNX Runtime run. */
  public static double[] predict(OrtEnvironment env, Path onnxFile, ClickModel model, List<ClickData.Row> rows)
      throws IOException {
    float[][] inputs = rows.stream().map(model::inputRow).toArray(float[][]::new);
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
         OrtSession session = env.createSession(onnxFile.toString(), options);
         OnnxTensor input = OnnxTensor.createTensor(env, inputs);
         OrtSession.Result result = session.run(Map.of(ClickModel.INPUT, input))) {
      float[][] output = (float[][]) result.get(ClickModel.OUTPUT)
          .orElseThrow(() -> new IOException(onnxFile + " has no output '" + ClickModel.OUTPUT + "'"))
          .getValue();
      int column = model.clickedColumn();
      return Arrays.stream(output).mapToDouble(row -> row[column]).toArray();
    } catch (OrtException e) {
      throw new IOException("ONNX Runtime cannot run " + onnxFile + ": " + e.getMessage(), e);
    }
  }

  /** Rank-based (Mann-Whitney) AUC; tied scores count half. */
  static double auc(double[] scores, boolean[] positive) {
    return QualityMetrics.binaryAuc(scores, positive);
  }
}
