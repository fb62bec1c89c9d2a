package dev.modelship.controller.cli;

import ai.onnxruntime.OrtEnvironment;
import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.examples.ClickModel;
import dev.modelship.controller.examples.ClickModelEvaluation;
import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.examples.InferenceRequests;
import dev.modelship.controller.examples.MlpOnnxWriter;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.ModelConfig;
import dev.modelship.serving.model.ModelLoadException;
import dev.modelship.serving.model.ModelLoader;
import dev.modelship.serving.model.ModelNames;
import dev.modelship.serving.model.ModelRepository;
import dev.modelship.serving.model.TensorSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code modelship examples model}: an example model written into a Triton-style model repository. */
@Command(name = "model",
    description = "Write an example ONNX model into a model repository (DIR/<name>/<version>/model.onnx), "
        + "check that the serving runtime loads it, and print an example request.")
public final class ExampleModelCommand implements Callable<Integer> {
  /** Which example to write. */
  enum Kind { logistic, mlp }

  static final int HOLDOUT_ROWS = 2000;
  private static final List<String> MLP_ONLY = List.of("--features", "--hidden", "--layers", "--classes");

  // Not mixinStandardHelpOptions: its --version (print the program version) would clash with the model's.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean helpRequested;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model repository folder.")
  Path repository;

  @Option(names = "--kind", defaultValue = "logistic", description = "logistic: a logistic regression trained "
      + "on synthetic click data; mlp: a multi-layer perceptron with random weights, for load tests "
      + "(default ${DEFAULT-VALUE}).")
  Kind kind;

  @Option(names = "--name", description = "Model name (default: clicks for logistic, mlp for mlp).")
  String name;

  @Option(names = "--version", defaultValue = "1", description = "Model version (default ${DEFAULT-VALUE}).")
  long version;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for the training data or the weights "
      + "(default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rows", defaultValue = "5000", description = "logistic: training rows (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--features", defaultValue = "512", description = "mlp: input width (default ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--hidden", defaultValue = "2048",
      description = "mlp: hidden layer width (default ${DEFAULT-VALUE}).")
  int hidden;

  @Option(names = "--layers", defaultValue = "2", description = "mlp: hidden layers (default ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--classes", defaultValue = "2", description = "mlp: output classes (default ${DEFAULT-VALUE}).")
  int classes;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String modelName = name != null ? name : kind == Kind.logistic ? "clicks" : "mlp";
    String problem = problemWithOptions(modelName);
    if (problem != null) {
      err.println("error: " + problem);
      return 2;
    }
    try {
      Path file;
      float[] exampleRow;
      if (kind == Kind.logistic) {
        err.printf(Locale.ROOT, "training a logistic regression on %d synthetic click rows (seed %d)...%n", rows,
            seed);
        file = ExampleModels.modelFile(repository, modelName, version);
        ClickModel model = ExampleModels.writeClickModel(repository, modelName, version, seed, rows);
        exampleRow = reportClickModel(out, file, model);
      } else {
        err.printf(Locale.ROOT, "writing an MLP %d -> %d x %d -> %d with random weights (seed %d)...%n",
            features, hidden, layers, classes, seed);
        file = ExampleModels.writeRepository(repository, modelName, version,
            onnxFile -> ExampleModels.writeMlp(onnxFile, features, hidden, layers, classes, seed));
        exampleRow = InferenceRequests.randomRow(seed, features);
      }
      out.printf(Locale.ROOT, "wrote %s (%,d bytes)%n", file, Files.size(file));
      TensorSpec input = describeAsServed(out, modelName, version, file);
      out.println("serve it: modelship serve --model-repository " + repository);
      out.println("example V2 request body (POST /v2/models/" + modelName + "/infer):");
      out.println(InferenceRequests.v2InferBody(input.name(), exampleRow));
      return 0;
    } catch (IOException e) {
      err.println("error: writing or checking the model in " + repository + " failed: " + e.getMessage());
      return 1;
    } catch (ModelLoadException e) {
      err.println("error: the model was written but the serving runtime cannot load it: " + e.getMessage());
      return 1;
    }
  }

  private String problemWithOptions(String modelName) {
    if (!ModelNames.isValidName(modelName)) {
      return "--name '" + modelName + "' is not a valid model name (letters, digits, '_', '-', '.'; starting "
          + "with a letter or digit)";
    }
    if (version < 0) {
      return "--version must be 0 or more, got " + version;
    }
    if (kind == Kind.logistic) {
      for (String option : MLP_ONLY) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          return option + " applies to --kind mlp only";
        }
      }
      return rows < 100 ? "--rows must be at least 100, got " + rows : null;
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--rows")) {
      return "--rows applies to --kind logistic only";
    }
    try {
      new MlpOnnxWriter(features, hidden, layers, classes, seed);
      return null;
    } catch (IllegalArgumentException e) {
      return "no such MLP (--features, --hidden, --layers, --classes): " + e.getMessage();
    }
  }

  /** Prints what the click model expects and how it does on held-out rows; returns a held-out row as input. */
  private float[] reportClickModel(PrintWriter out, Path file, ClickModel model) throws IOException {
    List<ClickData.Row> holdout = ClickData.holdout(seed, HOLDOUT_ROWS);
    ClickModelEvaluation evaluation = ClickModelEvaluation.evaluate(OrtEnvironment.getEnvironment(), file, model,
        holdout);
    out.println("features (input columns, in order): " + String.join(", ", model.featureOrder()));
    out.println("output column " + model.clickedColumn() + " is P(clicked)");
    out.printf(Locale.ROOT, "held-out %d rows: accuracy %.3f (always guessing the majority: %.3f), AUC %.3f%n",
        evaluation.rows(), evaluation.accuracy(), evaluation.majorityBaseline(), evaluation.auc());
    return model.inputRow(holdout.get(0));
  }

  /** Loads the file with the serving runtime's own loader, so "written" also means "servable". */
  private static TensorSpec describeAsServed(PrintWriter out, String modelName, long version, Path file)
      throws ModelLoadException {
    ModelRepository.ModelSource source = new ModelRepository.ModelSource(modelName, version, file.getParent(),
        ModelConfig.empty());
    ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), new ModelLoader.Defaults(DeviceSpec.cpu(),
        Runtime.getRuntime().availableProcessors()));
    try (LoadedModel loaded = loader.load(source)) {
      out.println("inputs:  " + loaded.inputs() + "   (-1 = any batch size)");
      out.println("outputs: " + loaded.outputs());
      return loaded.inputs().get(0);
    }
  }
}
