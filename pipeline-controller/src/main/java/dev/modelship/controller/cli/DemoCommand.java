package dev.modelship.controller.cli;

import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.examples.ClickModel;
import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.examples.InferenceRequests;
import dev.modelship.serving.ServingServer;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.ModelLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code modelship demo}: trains the example click model, serves it with the real serving runtime in this
 * process, calls it once over HTTP to show that it answers, and prints how to call it yourself.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Train an example click-prediction model and serve it locally with the Modelship serving runtime.",
        "What this covers today: train an example model and serve it (V2 and V1 inference, health, metrics). "
            + "The rest of the pipeline (model registry, serving image, GitOps release, canary rollout) "
            + "is not built yet."})
public final class DemoCommand implements Callable<Integer> {
  static final String MODEL = "clicks";
  static final long VERSION = 1;
  static final long TRAINING_SEED = 42;
  static final int TRAINING_ROWS = 5000;
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final String HOST = "127.0.0.1";
  private static final long MAX_REQUEST_BYTES = 16L << 20;

  @Option(names = "--dir", defaultValue = ".modelship/demo", description = "Working folder; the model repository "
      + "is DIR/models (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port, 0 for any free one "
      + "(default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--no-wait", description = "Stop (draining the server) after the self-check inference instead "
      + "of serving until Ctrl-C.")
  boolean noWait;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      err.println("error: --port must be 0-65535, got " + port);
      return 2;
    }
    Path repository = dir.resolve("models");
    ClickModel model;
    try {
      model = prepareModel(repository, out);
    } catch (IOException e) {
      err.println("error: cannot prepare the example model in " + repository + ": " + e.getMessage());
      return 1;
    }
    ServingServer server;
    try {
      server = ServingServer.start(new ServingServer.Options(repository, HOST, port, DeviceSpec.auto(),
          Runtime.getRuntime().availableProcessors(), MAX_REQUEST_BYTES));
    } catch (ModelLoadException e) {
      err.println("error: the serving runtime cannot load " + repository + ": " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // Javalin reports a port already in use (or not ours to take) as a RuntimeException of its own.
      err.println("error: cannot start the serving runtime on " + HOST + ":" + port + ": " + e.getMessage());
      return 1;
    }
    String baseUrl = "http://" + HOST + ":" + server.port();
    out.println("serving runtime listening on " + baseUrl + " with model '" + MODEL + "' version " + VERSION);
    ClickData.Row row = ClickData.holdout(TRAINING_SEED, 1).get(0);
    float[] input = model.inputRow(row);
    String v2Body = InferenceRequests.v2InferBody(ClickModel.INPUT, input);
    boolean answered = selfCheck(out, err, baseUrl, v2Body, model);
    if (answered) {
      printTryItYourself(out, baseUrl, v2Body, InferenceRequests.v1PredictBody(input));
    }
    if (!answered || noWait) {
      server.drainAndStop(DRAIN_TIMEOUT);
      return answered ? 0 : 1;
    }
    out.println("serving until Ctrl-C (SIGINT or SIGTERM drains admitted requests, then stops)");
    out.flush();
    server.serveUntilSignalled(DRAIN_TIMEOUT);
    return 0;
  }

  /** The click model in the repository: trained now, or the one a previous run left there. */
  private static ClickModel prepareModel(Path repository, PrintWriter out) throws IOException {
    Path file = ExampleModels.modelFile(repository, MODEL, VERSION);
    if (Files.isRegularFile(file)) {
      out.println("using the model already in " + file + " (delete it to retrain)");
      return ClickModel.read(file);
    }
    out.printf(Locale.ROOT, "training a logistic regression (Tribuo) on %d synthetic click rows...%n", TRAINING_ROWS);
    out.flush();
    ClickModel model = ExampleModels.writeClickModel(repository, MODEL, VERSION, TRAINING_SEED, TRAINING_ROWS);
    out.println("wrote " + file + " (ONNX; inputs in order: " + String.join(", ", model.featureOrder()) + ")");
    return model;
  }

  /** One real V2 inference over HTTP; false (with the reason on stderr) when it does not answer 200. */
  private static boolean selfCheck(PrintWriter out, PrintWriter err, String baseUrl, String v2Body, ClickModel model)
      throws InterruptedException {
    URI uri = URI.create(baseUrl + "/v2/models/" + MODEL + "/infer");
    out.println();
    out.println("self-check: one V2 inference over HTTP");
    out.println("  POST " + uri);
    out.println("  request:  " + v2Body);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(v2Body))
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      out.println("  response: " + response.body());
      if (response.statusCode() != 200) {
        err.println("error: the self-check inference got HTTP " + response.statusCode());
        return false;
      }
      double[] probabilities = InferenceRequests.v2OutputData(response.body(), ClickModel.OUTPUT);
      out.printf(Locale.ROOT, "  P(clicked) = %.3f for this impression (output column %d)%n",
          probabilities[model.clickedColumn()], model.clickedColumn());
      return true;
    } catch (IOException e) {
      err.println("error: the self-check inference failed: " + e.getMessage());
      return false;
    }
  }

  private static void printTryItYourself(PrintWriter out, String baseUrl, String v2Body, String v1Body) {
    out.println();
    out.println("try it yourself:");
    for (String line : CurlCommands.forModel(baseUrl, MODEL, v2Body, v1Body)) {
      out.println("  " + line);
    }
    out.println();
    out.println("this demo covers: train an example model and serve it. Not built yet: the model registry, "
        + "the serving image build, the GitOps release and the canary rollout.");
  }
}
