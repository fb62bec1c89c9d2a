package dev.modelship.serving.testing;

import static dev.modelship.serving.testing.OnnxGraph.DYNAMIC;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The models the serving tests use, written into a Triton-style repository. Nothing is downloaded: the logistic
 * model is trained and exported by Tribuo, the rest are built with the ONNX protobuf.
 */
public final class TestModels {
  public static final String[] LOGISTIC_FEATURES = {"f0_age", "f1_visits", "f2_price", "f3_position"};

  private TestModels() {
  }

  public static Path versionDir(Path repository, String model, long version) throws IOException {
    return Files.createDirectories(repository.resolve(model).resolve(Long.toString(version)));
  }

  /** Tribuo logistic regression over 4 features: input {@code input} FP32 [-1,4], output {@code output} FP32 [-1,2]. */
  public static Path logistic(Path repository, String model, long version, long seed) throws IOException {
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("synthetic clicks", labels),
        labels);
    Random random = new Random(seed);
    for (int i = 0; i < 400; i++) {
      double[] x = new double[LOGISTIC_FEATURES.length];
      double score = -0.5;
      for (int f = 0; f < x.length; f++) {
        x[f] = random.nextGaussian();
        score += (f % 2 == 0 ? 1.5 : -1.0) * x[f];
      }
      boolean clicked = random.nextDouble() < 1 / (1 + Math.exp(-score));
      Example<Label> example = new ArrayExample<>(new Label(clicked ? "clicked" : "skipped"), LOGISTIC_FEATURES, x);
      data.add(example);
    }
    LinearSGDModel trained = (LinearSGDModel) new LogisticRegressionTrainer().train(data);
    Path file = versionDir(repository, model, version).resolve("model.onnx");
    trained.saveONNXModel("dev.modelship.tests", version, file);
    return file;
  }

  /** A multi-layer perceptron: {@code input} FP32 [-1,features] -> ReLU layers -> softmax {@code output} [-1,classes]. */
  public static Path mlp(Path repository, String model, long version, int features, int hidden, int layers,
                         int classes, long seed) throws IOException {
    Random random = new Random(seed);
    OnnxGraph graph = new OnnxGraph()
        .input("input", DataType.FLOAT, DYNAMIC, features)
        .output("output", DataType.FLOAT, DYNAMIC, classes);
    String previous = "input";
    int width = features;
    List<Integer> widths = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      widths.add(hidden);
    }
    widths.add(classes);
    for (int l = 0; l < widths.size(); l++) {
      int next = widths.get(l);
      graph.floatInitializer("w" + l, randomWeights(random, width * next, width), width, next)
          .floatInitializer("b" + l, randomWeights(random, next, width), next)
          .node("Gemm", new String[] {previous, "w" + l, "b" + l}, new String[] {"z" + l});
      boolean last = l == widths.size() - 1;
      graph.node(last ? "Softmax" : "Relu", "z" + l, last ? "output" : "h" + l,
          last ? new ai.onnx.proto.OnnxMl.AttributeProto[] {OnnxGraph.intAttribute("axis", -1)}
              : new ai.onnx.proto.OnnxMl.AttributeProto[0]);
      previous = "h" + l;
      width = next;
    }
    return graph.writeTo(versionDir(repository, model, version).resolve("model.onnx"));
  }

  /** One input and one Identity output per datatype: {@code <type>_in} [-1,2] -> {@code <type>_out} [-1,2]. */
  public static Path typed(Path repository, String model) throws IOException {
    OnnxGraph graph = new OnnxGraph();
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.INT8, DataType.UINT8,
        DataType.INT16, DataType.INT32, DataType.INT64, DataType.BOOL}) {
      String name = type.name().toLowerCase(java.util.Locale.ROOT);
      graph.input(name + "_in", type, DYNAMIC, 2).output(name + "_out", type, DYNAMIC, 2)
          .node("Identity", name + "_in", name + "_out");
    }
    return graph.writeTo(versionDir(repository, model, 1).resolve("model.onnx"));
  }

  /** Fixed batch dimension, so it is served unbatched: {@code x} FP32 [1,4] -> {@code y} = relu(x) [1,4]. */
  public static Path fixedBatch(Path repository, String model) throws IOException {
    return new OnnxGraph()
        .input("x", DataType.FLOAT, 1, 4)
        .output("y", DataType.FLOAT, 1, 4)
        .node("Relu", "x", "y")
        .writeTo(versionDir(repository, model, 1).resolve("model.onnx"));
  }

  /** {@code y = log(x)}: NaN for negative input, -Inf for zero. */
  public static Path logarithm(Path repository, String model) throws IOException {
    return new OnnxGraph()
        .input("x", DataType.FLOAT, DYNAMIC, 2)
        .output("y", DataType.FLOAT, DYNAMIC, 2)
        .node("Log", "x", "y")
        .writeTo(versionDir(repository, model, 1).resolve("model.onnx"));
  }

  /** Looks rows up in a 5x2 table: {@code idx} INT64 [-1] -> {@code rows} FP32 [-1,2]; index 5 and up is invalid. */
  public static Path lookup(Path repository, String model) throws IOException {
    return new OnnxGraph()
        .input("idx", DataType.INT64, DYNAMIC)
        .output("rows", DataType.FLOAT, DYNAMIC, 2)
        .floatInitializer("table", new float[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41}, 5, 2)
        .node("Gather", new String[] {"table", "idx"}, new String[] {"rows"}, OnnxGraph.intAttribute("axis", 0))
        .writeTo(versionDir(repository, model, 1).resolve("model.onnx"));
  }

  /** Two inputs, two outputs: {@code a}, {@code b} FP32 [-1,3] -> {@code sum} = a+b, {@code product} = a*b. */
  public static Path twoInputs(Path repository, String model) throws IOException {
    return new OnnxGraph()
        .input("a", DataType.FLOAT, DYNAMIC, 3)
        .input("b", DataType.FLOAT, DYNAMIC, 3)
        .output("sum", DataType.FLOAT, DYNAMIC, 3)
        .output("product", DataType.FLOAT, DYNAMIC, 3)
        .node("Add", new String[] {"a", "b"}, new String[] {"sum"})
        .node("Mul", new String[] {"a", "b"}, new String[] {"product"})
        .writeTo(versionDir(repository, model, 1).resolve("model.onnx"));
  }

  private static float[] randomWeights(Random random, int count, int fanIn) {
    float[] weights = new float[count];
    double scale = 1 / Math.sqrt(fanIn);
    for (int i = 0; i < count; i++) {
      weights[i] = (float) (random.nextGaussian() * scale);
    }
    return weights;
  }
}
