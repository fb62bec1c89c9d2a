package dev.modelship.controller.training;

import ai.onnx.proto.OnnxMl;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.validate.CsvTable;
import dev.modelship.controller.validate.InvalidDataException;
import dev.modelship.controller.validate.QualityMetrics;
import dev.modelship.serving.model.ModelNames;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Trains a model on a CSV and writes a model package: {@code model.onnx}, {@code modelship.yaml} (signature,
 * holdout metrics, quality bars) and {@code holdout.csv}. The package folder appears complete or not at all.
 */
public final class Trainer {
  public static final String ONNX_DOMAIN = "dev.modelship";
  public static final int MIN_TRAINING_ROWS = 10;
  public static final int MIN_HOLDOUT_ROWS = 5;
  private static final long ONNX_MODEL_VERSION = 1;

  private final Consumer<String> progress;

  /** @param progress receives one line per stage of the work, for a CLI or a log */
  public Trainer(Consumer<String> progress) {
    this.progress = progress;
  }

  public TrainingResult train(Path csv, String labelColumn, String name, TrainingOptions options)
      throws InvalidDataException, IOException {
    if (!ModelNames.isValidName(name)) {
      throw new IllegalArgumentException("'" + name + "' is not a valid model name (letters, digits, '_', '-', "
          + "'.', starting with a letter or digit)");
    }
    Path output = options.output().isPresent() ? options.output().get()
        : Files.createTempDirectory("modelship-train-").resolve(name);
    requireAbsentOrEmpty(output);
    TrainingData data = TrainingData.read(csv, labelColumn);
    progress.accept(String.format(Locale.ROOT, "read %d rows of %d features and label '%s' from %s", data.rows(),
        data.features().size(), labelColumn, csv));
    requireUsableLabels(data, options.task());
    TrainingData[] split = split(data, options);
    TrainingData training = split[0];
    TrainingData holdout = split[1];
    progress.accept(String.format(Locale.ROOT, "training a %s on %d rows (%d epochs, seed %d); %d rows held out",
        options.task() == ModelManifest.Task.CLASSIFICATION ? "logistic regression" : "linear regression",
        training.rows(), options.epochs(), options.seed(), holdout.rows()));
    TrainedModel model = fit(training, options);
    if (!new HashSet<>(model.featureOrder()).equals(new HashSet<>(data.features()))) {
      throw new InvalidDataException(csv + ": the model learned features " + model.featureOrder() + " from columns "
          + data.features());
    }
    Map<String, Double> metrics = measure(model, holdout);
    progress.accept("holdout metrics: " + describe(metrics));
    ModelManifest manifest = PackageManifests.forTrainedModel(name, model, labelColumn, metrics, options.bars());
    writePackage(output, model, manifest, holdout);
    progress.accept("wrote model package " + output);
    try {
      return new TrainingResult(ModelPackage.fromDirectory(output), manifest, training.rows(), holdout.rows());
    } catch (RegistryException e) {
      throw new IllegalStateException("the package just written is not a valid package: " + e.getMessage(), e);
    }
  }

  private static void requireUsableLabels(TrainingData data, ModelManifest.Task task) throws InvalidDataException {
    if (task == ModelManifest.Task.REGRESSION) {
      data.numericLabels();
      return;
    }
    List<String> classes = data.labels().stream().distinct().sorted().toList();
    if (classes.size() < 2) {
      throw new InvalidDataException(data.source() + ": the label column '" + data.label() + "' has a single class "
          + classes + " in " + data.rows() + " rows; a classifier needs at least two");
    }
  }

  /** Training rows and holdout rows, either split from the data or the fixed holdout file. */
  private static TrainingData[] split(TrainingData data, TrainingOptions options)
      throws InvalidDataException, IOException {
    TrainingData training;
    TrainingData holdout;
    String how;
    if (options.holdoutFile().isPresent()) {
      training = data;
      CsvTable fixed = CsvTable.read(options.holdoutFile().get());
      List<String> expected = new ArrayList<>(data.features());
      expected.add(data.label());
      if (!new HashSet<>(fixed.header()).equals(new HashSet<>(expected))) {
        throw new InvalidDataException(options.holdoutFile().get() + " has columns " + fixed.header() + ", but the "
            + "training data has " + expected);
      }
      holdout = TrainingData.of(fixed, data.label());
      how = "the fixed holdout " + options.holdoutFile().get();
    } else {
      HoldoutSplit split = options.task() == ModelManifest.Task.CLASSIFICATION
          ? HoldoutSplit.stratified(data.labels(), options.holdoutFraction(), options.seed())
          : HoldoutSplit.random(data.rows(), options.holdoutFraction(), options.seed());
      training = data.select(split.training());
      holdout = data.select(split.holdout());
      how = "a holdout fraction of " + options.holdoutFraction();
    }
    if (training.rows() < MIN_TRAINING_ROWS || holdout.rows() < MIN_HOLDOUT_ROWS) {
      throw new InvalidDataException(String.format(Locale.ROOT, "too few rows: %s has %d, which with %s gives %d to "
          + "train on and %d to hold out; at least %d and %d are needed", data.source(), data.rows(), how,
          training.rows(), holdout.rows(), MIN_TRAINING_ROWS, MIN_HOLDOUT_ROWS));
    }
    return new TrainingData[] {training, holdout};
  }

  private static TrainedModel fit(TrainingData training, TrainingOptions options) throws InvalidDataException {
    String description = "modelship train " + training.source().getFileName();
    if (options.task() == ModelManifest.Task.CLASSIFICATION) {
      return LinearModels.logisticRegression(training.features(), training.values(), training.labels(),
          options.seed(), options.epochs(), description);
    }
    return LinearModels.linearRegression(training.features(), training.values(), training.numericLabels(),
        training.label(), options.seed(), options.epochs(), description);
  }

  private static Map<String, Double> measure(TrainedModel model, TrainingData holdout) throws InvalidDataException {
    double[][] predictions = model.predict(holdout.features(), holdout.values());
    if (model.task() == ModelManifest.Task.REGRESSION) {
      double[] predicted = java.util.Arrays.stream(predictions).mapToDouble(row -> row[0]).toArray();
      return QualityMetrics.regression(predicted, holdout.numericLabels());
    }
    List<String> labels = holdout.labels();
    int[] truth = new int[labels.size()];
    for (int r = 0; r < truth.length; r++) {
      truth[r] = model.outputColumns().indexOf(labels.get(r));
      if (truth[r] < 0) {
        throw new InvalidDataException(holdout.source() + ": holdout label '" + labels.get(r) + "' is not a class "
            + "of the training data " + model.outputColumns());
      }
    }
    return QualityMetrics.classification(predictions, truth);
  }

  private static void writePackage(Path output, TrainedModel model, ModelManifest manifest, TrainingData holdout)
      throws IOException {
    Path parent = Files.createDirectories(output.toAbsolutePath().getParent());
    Path partial = Files.createTempDirectory(parent, "." + output.getFileName() + ".partial-");
    try {
      OnnxMl.ModelProto onnx = model.toOnnx(ONNX_DOMAIN, ONNX_MODEL_VERSION);
      try (OutputStream out = Files.newOutputStream(partial.resolve(ModelPackage.MODEL_FILE))) {
        onnx.writeTo(out);
      }
      manifest.write(partial.resolve(ModelPackage.MANIFEST_FILE));
      holdout.writeCsv(partial.resolve(ModelPackage.HOLDOUT_FILE));
      Files.deleteIfExists(output); // only ever an empty folder: requireAbsentOrEmpty said so
      Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      dev.modelship.controller.registry.DurableFiles.deleteTree(partial);
    }
  }

  private static void requireAbsentOrEmpty(Path output) throws IOException {
    if (Files.isDirectory(output)) {
      try (Stream<Path> entries = Files.list(output)) {
        if (entries.findAny().isEmpty()) {
          return;
        }
      }
    }
    if (Files.exists(output)) {
      throw new FileAlreadyExistsException(output.toString(), null, "the package folder exists and is not empty; "
          + "choose another output folder");
    }
  }

  static String describe(Map<String, Double> metrics) {
    List<String> parts = new ArrayList<>();
    metrics.forEach((metric, value) -> parts.add(String.format(Locale.ROOT, "%s %.4f", metric, value)));
    return String.join(", ", parts);
  }
}
