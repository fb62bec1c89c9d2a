package dev.modelship.serving.testing;

import ai.onnxruntime.OrtEnvironment;
import dev.modelship.serving.batching.BatchPolicy;
import dev.modelship.serving.batching.BatchRunner;
import dev.modelship.serving.batching.DynamicBatcher;
import dev.modelship.serving.batching.InferenceFailure;
import dev.modelship.serving.batching.InferenceJob;
import dev.modelship.serving.http.ServedModel;
import dev.modelship.serving.http.ServedModels;
import dev.modelship.serving.http.ServerState;
import dev.modelship.serving.http.ServingApp;
import dev.modelship.serving.metrics.ModelMetrics;
import dev.modelship.serving.metrics.ServingMetrics;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.ModelLoader;
import dev.modelship.serving.model.ModelRepository;
import dev.modelship.serving.model.TensorData;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real HTTP app and real ONNX Runtime sessions, with one difference: each model's first run waits at a gate
 * the test opens. That makes "requests queue while the model is busy" happen on purpose instead of by timing.
 */
public final class GatedServer implements AutoCloseable {
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch firstRunStarted = new CountDownLatch(1);
  private final ServerState state = new ServerState();
  private final ServingMetrics metrics = new ServingMetrics();
  private final List<ServedModel> served;
  private final Javalin app;
  private final HttpJson http;

  /** Serves the newest version of every model in {@code repository}; {@code policy} overrides queue settings. */
  public GatedServer(Path repository, BatchPolicy policy) throws Exception {
    ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), new ModelLoader.Defaults(DeviceSpec.cpu(), 2));
    served = new ModelRepository(repository).scan().stream().map(source -> {
      try {
        LoadedModel model = loader.load(source);
        ModelMetrics modelMetrics = metrics.register(model.name(), model.versionLabel(), model.sha256(), "cpu");
        DynamicBatcher batcher = new DynamicBatcher(model.toString(), policy, () -> new Gated(model.newRunner()),
            model.outputGuard(), modelMetrics);
        return new ServedModel(model, batcher, modelMetrics);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    state.modelsLoaded(new ServedModels(served));
    app = ServingApp.create(new ServingApp.Deps(state, metrics, 16L << 20, "modelship-serving", "test"))
        .start("127.0.0.1", 0);
    http = new HttpJson(app.port());
  }

  public HttpJson http() {
    return http;
  }

  public ServerState state() {
    return state;
  }

  public DynamicBatcher batcher(String model) {
    return served.stream().filter(s -> s.model().name().equals(model)).findFirst().orElseThrow().batcher();
  }

  public void awaitFirstRunHeld() throws InterruptedException {
    if (!firstRunStarted.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no inference reached the gate");
    }
  }

  public void openGate() {
    gate.countDown();
  }

  @Override
  public void close() {
    gate.countDown();
    served.forEach(s -> s.batcher().close());
    app.stop();
    served.forEach(s -> s.model().close());
  }

  private final class Gated implements BatchRunner {
    private final BatchRunner real;

    Gated(BatchRunner real) {
      this.real = real;
    }

    @Override
    public TensorData[][] run(List<InferenceJob> jobs) throws InferenceFailure {
      firstRunStarted.countDown();
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return real.run(jobs);
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
