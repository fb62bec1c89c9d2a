package dev.modelship.controller.training;

import ai.onnx.proto.OnnxMl;
import dev.modelship.controller.registry.ModelManifest;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.Regressor;

/**
 * A model Tribuo trained: what it predicts in the JVM, and the ONNX graph it exports. The ONNX input takes the
 * features in {@link #featureOrder()} (Tribuo sorts them by name) and the output has one column per entry of
 * {@link #outputColumns()}: the class labels for a classifier, the target for a regression.
 */
public final class TrainedModel {
  private final Model<?> model;
  private final ModelManifest.Task task;
  private final List<String> featureOrder;
  private final List<String> outputColumns;

  TrainedModel(Model<?> model, ModelManifest.Task task, List<String> featureOrder,
               List<String> outputColumns) {
    if (!(model instanceof ONNXExportable)) {
      throw new IllegalArgumentException(model.getClass().getSimpleName() + " cannot be exported as ONNX");
    }
    this.model = model;
    this.task = task;
    this.featureOrder = List.copyOf(featureOrder);
    this.outputColumns = List.copyOf(outputColumns);
  }

  public ModelManifest.Task task() {
    return task;
  }

  /** The features in the order of the ONNX input's columns. */
  public List<String> featureOrder() {
    return featureOrder;
  }

  /** Classes in the order of the output's columns (classification), or the target's name (regression). */
  public List<String> outputColumns() {
    return outputColumns;
  }

  /** The model as ONNX: input {@code input} [batch, features], output {@code output} [batch, columns]. */
  public OnnxMl.ModelProto toOnnx(String domain, long modelVersion) {
    return ((ONNXExportable) model).exportONNXModel(domain, modelVersion);
  }

  /**
   * What the model predicts for each row, as its ONNX export would: class probabilities in
   * {@link #outputColumns()} order, or the single predicted value.
   *
   * @param featureNames the names of the columns of {@code rows}, in any order
   */
  public double[][] predict(List<String> featureNames, double[][] rows) {
    String[] names = featureNames.toArray(new String[0]);
    double[][] predictions = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      predictions[r] = task == ModelManifest.Task.CLASSIFICATION
          ? probabilities(names, rows[r]) : new double[] {value(names, rows[r])};
    }
    return predictions;
  }

  @SuppressWarnings("unchecked")
  private double[] probabilities(String[] names, double[] row) {
    Model<Label> classifier = (Model<Label>) model;
    Example<Label> example = new ArrayExample<>(LinearModels.UNKNOWN_LABEL, names, row);
    Prediction<Label> prediction = classifier.predict(example);
    double[] probabilities = new double[outputColumns.size()];
    for (int c = 0; c < probabilities.length; c++) {
      Label scored = prediction.getOutputScores().get(outputColumns.get(c));
      probabilities[c] = scored == null ? 0 : scored.getScore();
    }
    return probabilities;
  }

  @SuppressWarnings("unchecked")
  private double value(String[] names, double[] row) {
    Model<Regressor> regression = (Model<Regressor>) model;
    return regression.predict(new ArrayExample<>(LinearModels.UNKNOWN_REGRESSOR, names, row))
        .getOutput().getValues()[0];
  }
}
