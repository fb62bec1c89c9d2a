package dev.modelship.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.api.ControllerEndpoint;
import dev.modelship.controller.config.ModelshipHome;
import java.io.IOException;
import java.util.List;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code status}, {@code promote} and {@code abort}: thin clients of the running controller's API. */
final class ControllerCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ControllerCommands() {
  }

  /** Calls the controller; non-2xx answers become an error with the controller's message. */
  static JsonNode request(String method, String path, String body) throws IOException, InterruptedException {
    ControllerEndpoint endpoint = ControllerEndpoint.read(ModelshipHome.fromEnvironment());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url() + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode json = JSON.readTree(response.body());
    if (response.statusCode() >= 300) {
      throw new IOException(json.path("error").asText(response.body()));
    }
    return json;
  }

  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      try {
        print(spec.commandLine().getOut());
        return 0;
      } catch (IOException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return 1;
      }
    }

    abstract void print(PrintWriter out) throws IOException, InterruptedException;
  }

  static void printRollout(PrintWriter out, JsonNode rollout) {
    out.printf("%-16s %-11s step %s/%s  canary %s%%  stable %s%s%n", rollout.path("name").asText()
        + (rollout.path("environment").isTextual() ? " [" + rollout.path("environment").asText() + "]" : ""),
        rollout.path("phase").asText(), rollout.path("currentStepIndex").asText(), rollout.path("stepCount").asText(),
        rollout.path("canaryWeight").asText(), rollout.path("stableImage").asText(),
        rollout.path("canaryImage").isTextual() ? "  canary " + rollout.path("canaryImage").asText() : "");
    if (!rollout.path("message").asText().isEmpty()) {
      out.println("  " + rollout.path("message").asText());
    }
    for (String kind : List.of("stepAnalysis", "backgroundAnalysis")) {
      JsonNode analysis = rollout.path(kind);
      if (analysis.isObject()) {
        out.println("  " + (kind.equals("stepAnalysis") ? "step" : "background") + " analysis "
            + analysis.path("phase").asText() + ":" + AnalysisText.metrics(analysis));
        JsonNode decision = analysis.path("decision");
        if (decision.isObject() && !decision.path("explanation").asText().isEmpty()) {
          out.println("    " + decision.path("action").asText() + ": " + decision.path("explanation").asText());
        }
      }
    }
    if (rollout.path("endpoint").isTextual()) {
      out.println("  traffic: " + rollout.path("endpoint").asText());
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show the running controller's rollouts and pipeline runs.")
  static final class Status extends Base {
    @Override
    void print(PrintWriter out) throws IOException, InterruptedException {
      out.println("ROLLOUTS");
      for (JsonNode rollout : request("GET", "/api/rollouts", null)) {
        printRollout(out, rollout);
      }
      out.println("PIPELINE RUNS");
      for (JsonNode run : request("GET", "/api/runs", null)) {
        out.printf("%-16s %-10s %s%n", run.path("id").asText(), run.path("outcome").asText(),
            run.path("message").asText());
      }
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Promote a paused canary past its current step (like kubectl argo rollouts promote).")
  static final class Promote extends Base {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = "--full", description = "Skip every remaining step and analysis.")
    boolean full;

    @Option(names = "--env", paramLabel = "ENV", description = "The environment (default: the last one, production).")
    String environment;

    @Override
    void print(PrintWriter out) throws IOException, InterruptedException {
      String query = (full ? "&full=true" : "") + (environment == null ? "" : "&env=" + environment);
      printRollout(out, request("POST", "/api/rollouts/" + model + "/promote"
          + (query.isEmpty() ? "" : "?" + query.substring(1)), null));
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = "Abort a canary: all traffic to stable, canary stopped, a rollback commit in git.")
  static final class Abort extends Base {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = "--reason", defaultValue = "aborted from the command line")
    String reason;

    @Option(names = "--env", paramLabel = "ENV", description = "The environment (default: the last one, production).")
    String environment;

    @Override
    void print(PrintWriter out) throws IOException, InterruptedException {
      printRollout(out, request("POST", "/api/rollouts/" + model + "/abort" + (environment == null ? ""
          : "?env=" + environment),
          JSON.createObjectNode().put("reason", reason).toString()));
    }
  }
}
