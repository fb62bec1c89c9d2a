package dev.modelship.controller.examples;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a caller needs to feed the exported click model: which column of {@code input} holds which feature,
 * and which column of {@code output} is the probability of a click. Both are recorded in the ONNX file's
 * metadata, so a model file found on disk can be used without retraining it.
 */
public record ClickModel(List<String> featureOrder, List<String> labelOrder) {
  public static final String INPUT = "input";
  public static final String OUTPUT = "output";
  public static final String CLICKED_LABEL = "1";
  static final String FEATURES_KEY = "modelship.feature_order";
  static final String LABELS_KEY = "modelship.label_order";

  public ClickModel {
    featureOrder = List.copyOf(featureOrder);
    labelOrder = List.copyOf(labelOrder);
    if (!featureOrder.containsAll(ClickData.FEATURES) || featureOrder.size() != ClickData.FEATURES.size()) {
      throw new IllegalArgumentException("feature order " + featureOrder + " is not a permutation of "
          + ClickData.FEATURES);
    }
    if (!labelOrder.contains(CLICKED_LABEL)) {
      throw new IllegalArgumentException("label order " + labelOrder + " has no '" + CLICKED_LABEL + "'");
    }
  }

  /** Which column of {@code output} is P(clicked). */
  public int clickedColumn() {
    return labelOrder.indexOf(CLICKED_LABEL);
  }

  /** One row of {@code input}: the row's features in this model's order. */
  public float[] inputRow(ClickData.Row row) {
    float[] values = new float[featureOrder.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) row.feature(featureOrder.get(i));
    }
    return values;
  }

  /** Reads the orders recorded by {@link ExampleModels#trainClickModel}. */
  public static ClickModel read(Path onnxFile) throws IOException {
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(onnxFile)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    }
    String features = null;
    String labels = null;
    for (OnnxMl.StringStringEntryProto entry : model.getMetadataPropsList()) {
      if (entry.getKey().equals(FEATURES_KEY)) {
        features = entry.getValue();
      } else if (entry.getKey().equals(LABELS_KEY)) {
        labels = entry.getValue();
      }
    }
    if (features == null || labels == null) {
      throw new IOException(onnxFile + " is not a click model written by modelship: its metadata lacks "
          + FEATURES_KEY + " and " + LABELS_KEY);
    }
    try {
      return new ClickModel(Arrays.asList(features.split(",")), Arrays.asList(labels.split(",")));
    } catch (IllegalArgumentException e) {
      throw new IOException(onnxFile + ": " + e.getMessage(), e);
    }
  }
}
