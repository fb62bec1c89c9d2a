package dev.modelship.controller.examples;

import ai.onnx.proto.OnnxMl;
import dev.modelship.serving.model.ModelNames;
import dev.modelship.serving.model.ModelRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Example models, built here so that nothing is downloaded: a logistic regression trained on {@link ClickData}
 * (a real, if small, model) and a seeded-random MLP (a model of a chosen size), each written as ONNX, and a
 * Triton-style repository ({@code DIR/<name>/<version>/model.onnx}) that the serving runtime loads.
 */
public final class ExampleModels {
  public static final String ONNX_DOMAIN = "dev.modelship.examples";
  private static final long TRAINING_SEED = 12345;
  private static final int NO_LOSS_LOGGING = -1;

  private ExampleModels() {
  }

  /** Writes one model file; handed a path, not a stream, because Tribuo and protobuf write files themselves. */
  @FunctionalInterface
  public interface ModelFileWriter {
    void write(Path onnxFile) throws IOException;
  }

  /**
   * Trains a logistic regression (Tribuo, SGD on the log loss) on {@code rows} and exports it as ONNX: input
   * {@code input} FP32 [-1, 8] in the returned feature order, output {@code output} FP32 [-1, 2] (softmax) in the
   * returned label order. Both orders are also recorded in the file's metadata (see {@link ClickModel#read}).
   */
  public static ClickModel trainClickModel(List<ClickData.Row> rows, long modelVersion, Path onnxFile)
      throws IOException {
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> dataset = new MutableDataset<>(
        new SimpleDataSourceProvenance("modelship synthetic clicks", labels), labels);
    String[] names = ClickData.FEATURES.toArray(new String[0]);
    for (ClickData.Row row : rows) {
      dataset.add(new ArrayExample<>(new Label(row.clicked() ? "1" : "0"), names, row.features()));
    }
    if (dataset.getOutputInfo().size() != 2) {
      throw new IllegalArgumentException("training rows must contain both clicks and non-clicks, got "
          + rows.size() + " row(s) with labels " + dataset.getOutputInfo().getDomain());
    }
    LinearSGDModel model = logisticRegression().train(dataset);
    List<String> featureOrder = featureOrder(model.getFeatureIDMap());
    List<String> labelOrder = labelOrder(model.getOutputIDInfo());
    // Tribuo's metadata already holds the training provenance; the orders are added next to it so that the
    // file alone says how to call it.
    OnnxMl.ModelProto exported = model.exportONNXModel(ONNX_DOMAIN, modelVersion).toBuilder()
        .addMetadataProps(entry(ClickModel.FEATURES_KEY, String.join(",", featureOrder)))
        .addMetadataProps(entry(ClickModel.LABELS_KEY, String.join(",", labelOrder)))
        .build();
    try (OutputStream out = Files.newOutputStream(onnxFile)) {
      exported.writeTo(out);
    }
    return new ClickModel(featureOrder, labelOrder);
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

  /**
   * Tribuo's {@code LogisticRegressionTrainer} is this trainer with a step size of 1, 5 epochs and a loss line
   * logged every 1,000 examples. On these unscaled features (prices in the hundreds next to rates below 0.1)
   * smaller steps for longer fit better, and the loss lines would bury a CLI's own output.
   */
  private static LinearSGDTrainer logisticRegression() {
    return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 20, NO_LOSS_LOGGING, 1, TRAINING_SEED);
  }

  private static List<String> featureOrder(ImmutableFeatureMap features) {
    List<String> order = new ArrayList<>(features.size());
    for (int id = 0; id < features.size(); id++) {
      order.add(features.get(id).getName());
    }
    return order;
  }

  private static List<String> labelOrder(ImmutableOutputInfo<Label> outputs) {
    List<String> order = new ArrayList<>(outputs.size());
    for (int id = 0; id < outputs.size(); id++) {
      order.add(outputs.getOutput(id).getLabel());
    }
    return order;
  }

  private static OnnxMl.StringStringEntryProto entry(String key, String value) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
