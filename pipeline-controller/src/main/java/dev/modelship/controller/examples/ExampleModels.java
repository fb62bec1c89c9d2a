package dev.modelship.controller.examples;

import ai.onnx.proto.OnnxMl;
import dev.modelship.controller.training.LinearModels;
import dev.modelship.controller.training.TrainedModel;
import dev.modelship.serving.model.ModelNames;
import dev.modelship.serving.model.ModelRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Example models, built here so that nothing is downloaded: a logistic regression trained on {@link ClickData}
 * (a real, if small, model) and a seeded-random MLP (a model of a chosen size), each written as ONNX, and a
 * Triton-style repository ({@code DIR/<name>/<version>/model.onnx}) that the serving runtime loads.
 */
public final class ExampleModels {
  public static final String ONNX_DOMAIN = "dev.modelship.examples";
  private static final long TRAINING_SEED = 12345;
  private static final int TRAINING_EPOCHS = 20;

  private ExampleModels() {
  }

  /** Writes one model file; handed a path, not a stream, because Tribuo and protobuf write files themselves. */
  @FunctionalInterface
  public interface ModelFileWriter {
    void write(Path onnxFile) throws IOException;
  }

  /**
   * Trains a logistic regression ({@link LinearModels#logisticRegression}) on {@code rows} and exports it as
   * ONNX: input {@code input} FP32 [-1, 8] in the returned feature order, output {@code output} FP32 [-1, 2]
   * (softmax) in the returned label order. Both orders are also recorded in the file's metadata (see
   * {@link ClickModel#read}).
   */
  public static ClickModel trainClickModel(List<ClickData.Row> rows, long modelVersion, Path onnxFile)
      throws IOException {
    List<String> labels = rows.stream().map(row -> row.clicked() ? "1" : "0").toList();
    if (labels.stream().distinct().count() != 2) {
      throw new IllegalArgumentException("training rows must contain both clicks and non-clicks, got "
          + rows.size() + " row(s) with labels " + labels.stream().distinct().sorted().toList());
    }
    double[][] features = rows.stream().map(ClickData.Row::features).toArray(double[][]::new);
    TrainedModel model = LinearModels.logisticRegression(ClickData.FEATURES, features, labels, TRAINING_SEED,
        TRAINING_EPOCHS, "modelship synthetic clicks");
    // Tribuo's metadata already holds the training provenance; the orders are added next to it so that the
    // file alone says how to call it.
    OnnxMl.ModelProto exported = model.toOnnx(ONNX_DOMAIN, modelVersion).toBuilder()
        .addMetadataProps(entry(ClickModel.FEATURES_KEY, String.join(",", model.featureOrder())))
        .addMetadataProps(entry(ClickModel.LABELS_KEY, String.join(",", model.outputColumns())))
        .build();
    try (OutputStream out = Files.newOutputStream(onnxFile)) {
      exported.writeTo(out);
    }
    return new ClickModel(model.featureOrder(), model.outputColumns());
  }

  /**
   * Trains the click model on {@code rows} rows generated with {@code seed} (no drift) and writes it into a
   * repository as {@code repoDir/<name>/<version>/model.onnx}.
   */
  public static ClickModel writeClickModel(Path repoDir, String name, long version, long seed, int rows)
      throws IOException {
    List<ClickData.Row> training = ClickData.generate(seed, rows, 0);
    Path file = writeRepository(repoDir, name, version, onnxFile -> trainClickModel(training, version, onnxFile));
    return ClickModel.read(file);
  }

  /** See {@link MlpOnnxWriter}: the same arguments always give a byte-identical file. */
  public static void writeMlp(Path onnxFile, int features, int hidden, int hiddenLayers, int classes, long seed)
      throws IOException {
    new MlpOnnxWriter(features, hidden, hiddenLayers, classes, seed).write(onnxFile);
  }

  /** Where {@link #writeRepository} puts a model: {@code repoDir/<name>/<version>/model.onnx}. */
  public static Path modelFile(Path repoDir, String name, long version) {
    if (!ModelNames.isValidName(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a valid model name (letters, digits, '_', '-', "
          + "'.'; starting with a letter or digit)");
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must be 0 or more, got " + version);
    }
    return repoDir.resolve(name).resolve(Long.toString(version)).resolve(ModelRepository.MODEL_FILE);
  }

  /**
   * Writes one model version into a repository and returns its {@code model.onnx}. The writer works on a
   * temporary file that is moved into place at the end, so an interrupted write never leaves a half-written
   * model that a later run would take for a finished one.
   */
  public static Path writeRepository(Path repoDir, String name, long version, ModelFileWriter writer)
      throws IOException {
    Path target = modelFile(repoDir, name, version);
    Path versionDir = Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(versionDir, ".model-", ".onnx.partial");
    try {
      writer.write(partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return target;
  }

  private static OnnxMl.StringStringEntryProto entry(String key, String value) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
