package dev.modelship.serving;

import ai.onnxruntime.OrtEnvironment;
import dev.modelship.serving.batching.DynamicBatcher;
import dev.modelship.serving.http.ServedModel;
import dev.modelship.serving.http.ServedModels;
import dev.modelship.serving.http.ServerState;
import dev.modelship.serving.http.ServingApp;
import dev.modelship.serving.metrics.ModelMetrics;
import dev.modelship.serving.metrics.ServingMetrics;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.ModelLoadException;
import dev.modelship.serving.model.ModelLoader;
import dev.modelship.serving.model.ModelRepository;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A running serving runtime: HTTP first (so liveness answers at once), then every model loaded and warmed up
 * (then readiness turns true), and on {@link #drainAndStop} the reverse.
 */
public final class ServingServer {
  private static final Logger LOG = LoggerFactory.getLogger(ServingServer.class);
  public static final String NAME = "modelship-serving";

  /** Everything the command line or environment sets. */
  public record Options(Path modelRepository, String host, int port, DeviceSpec device, int intraOpThreads,
                        long maxRequestBytes) {
  }

  private final Javalin app;
  private final ServerState state;
  private final ServingMetrics metrics;
  private final List<ServedModel> served = new ArrayList<>();
  private boolean stopped; // guarded by this: a second SIGTERM or Ctrl-C must not stop twice

  private ServingServer(Javalin app, ServerState state, ServingMetrics metrics) {
    this.app = app;
    this.state = state;
    this.metrics = metrics;
  }

  /** Starts listening, then loads every model; throws (with HTTP stopped again) if any model cannot be served. */
  public static ServingServer start(Options options) throws ModelLoadException {
    ServerState state = new ServerState();
    ServingMetrics metrics = new ServingMetrics();
    Javalin app = ServingApp.create(new ServingApp.Deps(state, metrics, options.maxRequestBytes(), NAME, version()));
    app.start(options.host(), options.port());
    ServingServer server = new ServingServer(app, state, metrics);
    try {
      server.loadModels(options);
    } catch (ModelLoadException | RuntimeException e) {
      server.stopNow();
      throw e;
    }
    return server;
  }

  private void loadModels(Options options) throws ModelLoadException {
    ModelRepository repository = new ModelRepository(options.modelRepository());
    ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(),
        new ModelLoader.Defaults(options.device(), options.intraOpThreads()));
    for (ModelRepository.ModelSource source : repository.scan()) {
      long start = System.nanoTime();
      LoadedModel model = loader.load(source);
      ModelMetrics modelMetrics = metrics.register(model.name(), model.versionLabel(), model.sha256(), model.device());
      DynamicBatcher batcher = new DynamicBatcher(model.toString(), model.batchPolicy(), model::newRunner,
          model.outputGuard(), modelMetrics);
      served.add(new ServedModel(model, batcher, modelMetrics));
      LOG.info("loaded {} in {} ms: device {}, max_batch_size {}, sha256 {}", model,
          (System.nanoTime() - start) / 1_000_000, model.device(), model.maxBatchSize(), model.sha256());
    }
    state.modelsLoaded(new ServedModels(served));
    LOG.info("ready: {} model version(s) on port {}", served.size(), app.port());
  }

  public int port() {
    return app.port();
  }

  public ServerState state() {
    return state;
  }

  /**
   * Readiness false at once, new requests refused, admitted and queued ones completed (up to {@code timeout}),
   * then HTTP stopped and sessions closed.
   *
   * @return false when requests were still running at the timeout
   */
  public synchronized boolean drainAndStop(Duration timeout) throws InterruptedException {
    if (stopped) {
      return true;
    }
    LOG.info("draining: readiness is false, waiting up to {} s for {} request(s)", timeout.toSeconds(),
        state.admittedRequests());
    boolean drained = state.drain(timeout);
    if (!drained) {
      LOG.warn("drain timeout: {} request(s) still running are cut off", state.admittedRequests());
    }
    stopNow();
    stopped = true;
    LOG.info("stopped");
    return drained;
  }

  /** Serves until SIGTERM or SIGINT, then drains ({@link #drainAndStop}) and returns. */
  public void serveUntilSignalled(Duration drainTimeout) throws InterruptedException {
    CountDownLatch stoppedBySignal = new CountDownLatch(1);
    SignalHandler onSignal = signal -> {
      try {
        drainAndStop(drainTimeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stoppedBySignal.countDown();
      }
    };
    Signal.handle(new Signal("TERM"), onSignal);
    Signal.handle(new Signal("INT"), onSignal);
    stoppedBySignal.await();
  }

  private void stopNow() {
    for (ServedModel model : served) {
      model.batcher().close();
    }
    app.stop();
    for (ServedModel model : served) {
      model.model().close();
    }
    served.clear();
  }

  static String version() {
    String version = ServingServer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
