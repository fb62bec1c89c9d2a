package dev.modelship.controller.testing;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.serving.ServingServer;
import dev.modelship.serving.model.DeviceSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Real serving runtimes, one per model version (like a stable and a canary pod), each under a steady load from
 * its own thread: the raw material for analysis tests and benchmarks.
 */
public final class ServingFleet implements AutoCloseable {
  public static final int FEATURES = 16;

  private final List<ServingServer> servers = new ArrayList<>();
  private final List<Thread> loaders = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** Starts a runtime serving {@code repository} (one model version in it) on a free loopback port. */
  public ServingServer serve(Path repository) throws Exception {
    ServingServer server = ServingServer.start(new ServingServer.Options(repository, "127.0.0.1", 0, DeviceSpec.cpu(),
        1, 1 << 20));
    servers.add(server);
    return server;
  }

  /**
   * Sends about {@code perSecond} one-row V2 requests per second to {@code server}; a fraction
   * {@code negativeShare} of them contains a negative feature (which the logarithm model turns into NaN).
   */
  public void load(ServingServer server, String model, double perSecond, double negativeShare, long seed) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v2/models/" + model + "/infer");
    Thread loader = new Thread(() -> {
      Random random = new Random(seed);
      long pauseNanos = (long) (1e9 / perSecond);
      while (!stopping.get()) {
        long start = System.nanoTime();
        StringBuilder data = new StringBuilder();
        boolean negative = random.nextDouble() < negativeShare;
        for (int i = 0; i < FEATURES; i++) {
          double value = 0.1 + Math.abs(random.nextGaussian());
          data.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", negative && i == 0 ? -value : value));
        }
        String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1," + FEATURES + "],\"datatype\":\"FP32\",\"data\":["
            + data + "]}]}";
        try {
          http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
          // the runtime is stopping; the loop ends with the fleet
        } catch (InterruptedException e) {
          return;
        }
        long left = pauseNanos - (System.nanoTime() - start);
        if (left > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
      }
    }, "load-" + model + "-" + server.port());
    loader.setDaemon(true);
    loader.start();
    loaders.add(loader);
  }

  public static Path mlp(Path repository, String model, long version, int hidden, long seed) throws IOException {
    Path file = Files.createDirectories(repository.resolve(model).resolve(Long.toString(version)))
        .resolve("model.onnx");
    ExampleModels.writeMlp(file, FEATURES, hidden, 2, 2, seed);
    return repository;
  }

  /** {@code output} = log(input): NaN for any negative feature, so such requests fail with 500. */
  public static Path logarithm(Path repository, String model, long version) throws IOException {
    Path file = Files.createDirectories(repository.resolve(model).resolve(Long.toString(version)))
        .resolve("model.onnx");
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(FEATURES));
    OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
        .setElemType(DataType.FLOAT.getNumber()).setShape(shape)).build();
    OnnxMl.ModelProto graph = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(OnnxMl.GraphProto.newBuilder().setName("log")
            .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("input").setType(type))
            .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("output").setType(type))
            .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Log").addInput("input").addOutput("output")))
        .build();
    Files.write(file, graph.toByteArray());
    return repository;
  }

  /**
   * A deliberately slow model with the same signature as {@link #mlp}: a 256-wide tanh layer applied
   * {@code iterations} times in an ONNX Loop, so each request costs real compute, not a sleep.
   */
  public static Path slow(Path repository, String model, long version, int iterations) throws IOException {
    Path file = Files.createDirectories(repository.resolve(model).resolve(Long.toString(version)))
        .resolve("model.onnx");
    Random random = new Random(version);
    int width = 256;
    OnnxMl.GraphProto body = OnnxMl.GraphProto.newBuilder().setName("step")
        .addInput(scalarInfo("i", DataType.INT64))
        .addInput(scalarInfo("cond_in", DataType.BOOL))
        .addInput(valueInfo("h_in", DataType.FLOAT))
        .addOutput(scalarInfo("cond_out", DataType.BOOL))
        .addOutput(valueInfo("h_out", DataType.FLOAT))
        .addNode(node("Identity", "cond_out", "cond_in"))
        .addNode(node("MatMul", "z", "h_in", "w_step"))
        .addNode(node("Tanh", "h_out", "z"))
        .build();
    OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("slow")
        .addInput(tensorInfo("input", ServingFleet.FEATURES))
        .addOutput(tensorInfo("output", 2))
        .addInitializer(floats("w_in", random, FEATURES, width))
        .addInitializer(floats("w_step", random, width, width))
        .addInitializer(floats("w_out", random, width, 2))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("trips").setDataType(DataType.INT64.getNumber())
            .addInt64Data(iterations))
        .addInitializer(OnnxMl.TensorProto.newBuilder().setName("keep_going").setDataType(DataType.BOOL.getNumber())
            .addInt32Data(1))
        .addNode(node("MatMul", "h0", "input", "w_in"))
        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Loop").addInput("trips").addInput("keep_going")
            .addInput("h0").addOutput("h_last").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("body")
                .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(body)))
        .addNode(node("MatMul", "logits", "h_last", "w_out"))
        .addNode(node("Softmax", "output", "logits"))
        .build();
    Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(graph)
        .build().toByteArray());
    return repository;
  }

  private static OnnxMl.NodeProto node(String op, String output, String... inputs) {
    OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    return node.build();
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, DataType type) {
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()))).build();
  }

  private static OnnxMl.ValueInfoProto scalarInfo(String name, DataType type) {
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
            .setShape(OnnxMl.TensorShapeProto.newBuilder()))).build();
  }

  private static OnnxMl.ValueInfoProto tensorInfo(String name, int columns) {
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.getNumber()).setShape(
            OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns))))).build();
  }

  private static OnnxMl.TensorProto floats(String name, Random random, int rows, int columns) {
    OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(DataType.FLOAT.getNumber()).addDims(rows).addDims(columns);
    for (int i = 0; i < rows * columns; i++) {
      tensor.addFloatData((float) (random.nextGaussian() / Math.sqrt(rows)));
    }
    return tensor.build();
  }

  public static String metricsTarget(ServingServer server) {
    return "127.0.0.1:" + server.port();
  }

  @Override
  public void close() throws InterruptedException {
    stopping.set(true);
    for (Thread loader : loaders) {
      loader.join(Duration.ofSeconds(10).toMillis());
    }
    for (ServingServer server : servers) {
      server.drainAndStop(Duration.ofSeconds(5));
    }
  }
}
