package dev.modelship.controller.cli;

import dev.modelship.controller.analysis.AnalysisDecision;
import dev.modelship.controller.analysis.AnalysisRun;
import dev.modelship.controller.analysis.AnalysisRunner;
import dev.modelship.controller.analysis.AnalysisSpec;
import dev.modelship.controller.analysis.AnalysisSpecException;
import dev.modelship.controller.analysis.AnalysisStatus;
import dev.modelship.controller.analysis.ArgoTemplateRenderer;
import dev.modelship.controller.analysis.BuiltInAnalyses;
import dev.modelship.controller.analysis.Measurement;
import dev.modelship.controller.analysis.MetricAssessment;
import dev.modelship.controller.analysis.provider.MetricProvider;
import dev.modelship.controller.analysis.provider.PrometheusMetricProvider;
import dev.modelship.controller.analysis.provider.ScrapeMetricProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship analysis}: render the analyses as Argo templates, or run one against live metrics. */
@Command(name = "analysis", mixinStandardHelpOptions = true,
    description = "Canary analysis: render the Argo Rollouts templates, or run an analysis now.",
    subcommands = {AnalysisCommand.Render.class, AnalysisCommand.Run.class})
public final class AnalysisCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static AnalysisSpec load(String nameOrFile) throws AnalysisSpecException, IOException {
    Path file = Path.of(nameOrFile);
    return Files.isRegularFile(file) ? AnalysisSpec.parse(Files.readString(file)) : BuiltInAnalyses.byName(nameOrFile);
  }

  @Command(name = "render", mixinStandardHelpOptions = true,
      description = "Print the Argo Rollouts (Cluster)AnalysisTemplate for an analysis spec (a built-in name or a "
          + "YAML file). Without a spec: both built-in ClusterAnalysisTemplates.")
  static final class Render implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "SPEC", description = "modelship-error-rate, modelship-latency-p99, "
        + "modelship-canary, or a spec file")
    String specName;

    @Option(names = "--namespace", description = "Render a namespaced AnalysisTemplate in this namespace instead "
        + "of a ClusterAnalysisTemplate.")
    String namespace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
      PrintWriter out = command.commandLine().getOut();
      List<String> names = specName == null ? List.of(BuiltInAnalyses.ERROR_RATE, BuiltInAnalyses.LATENCY_P99)
          : List.of(specName);
      ArgoTemplateRenderer.Kind kind = namespace == null ? ArgoTemplateRenderer.Kind.CLUSTER_ANALYSIS_TEMPLATE
          : ArgoTemplateRenderer.Kind.ANALYSIS_TEMPLATE;
      try {
        for (int i = 0; i < names.size(); i++) {
          out.print((i > 0 ? "---\n" : "") + ArgoTemplateRenderer.render(load(names.get(i)), kind, namespace));
        }
        return 0;
      } catch (AnalysisSpecException | IOException | IllegalArgumentException e) {
        command.commandLine().getErr().println("error: " + e.getMessage());
        return 2;
      }
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run an analysis now against live metrics and print its decision.",
          "Exit code: 0 promote, 1 abort, 3 pause for a human, 2 error."})
  static final class Run implements Callable<Integer> {
    @Option(names = "--spec", defaultValue = BuiltInAnalyses.CANARY,
        description = "Built-in name or spec file (default ${DEFAULT-VALUE}).")
    String specName;

    @Option(names = "--arg", paramLabel = "NAME=VALUE", description = "An analysis arg, e.g. --arg model=clicks "
        + "--arg version=2 --arg stable-version=1.")
    Map<String, String> args = new LinkedHashMap<>();

    @Option(names = "--scrape", paramLabel = "VERSION=URL", description = "Use the scrape provider (no Prometheus): "
        + "the /metrics URL of an instance serving VERSION; repeat for each instance.")
    List<String> scrapeTargets = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = command.commandLine().getOut();
      try {
        AnalysisSpec spec = load(specName);
        MetricProvider provider = scrapeTargets.isEmpty() ? PrometheusMetricProvider.withDefaultClient()
            : scrapeProvider();
        AnalysisRun run = new AnalysisRun("cli", spec, args, provider, Clock.systemUTC());
        Map<String, Integer> printed = new HashMap<>();
        AnalysisStatus status = new AnalysisRunner(Clock.systemUTC()).runToDecision(run, progress ->
            printNewMeasurements(out, progress, printed));
        for (MetricAssessment metric : status.metrics()) {
          out.println(metric.phase().argoName() + "  " + metric.explanation());
        }
        status.comparison().ifPresent(verdict -> out.println("comparison: " + verdict.outcome() + ", "
            + verdict.explanation()));
        out.println("decision: " + status.decision().action() + " - " + status.decision().explanation());
        return exitCode(status.decision().action());
      } catch (AnalysisSpecException | IOException | IllegalArgumentException e) {
        command.commandLine().getErr().println("error: " + e.getMessage());
        return 2;
      }
    }

    private MetricProvider scrapeProvider() {
      Map<String, List<URI>> byVersion = new HashMap<>();
      for (String target : scrapeTargets) {
        int equals = target.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException("--scrape takes VERSION=URL, got '" + target + "'");
        }
        byVersion.computeIfAbsent(target.substring(0, equals), v -> new ArrayList<>())
            .add(URI.create(target.substring(equals + 1)));
      }
      return new ScrapeMetricProvider(HttpClient.newHttpClient(),
          (model, version) -> byVersion.getOrDefault(version, List.of()), Duration.ofMinutes(10));
    }

    private static void printNewMeasurements(PrintWriter out, AnalysisStatus status, Map<String, Integer> printed) {
      status.measurements().forEach((metric, measurements) -> {
        for (int i = printed.getOrDefault(metric, 0); i < measurements.size(); i++) {
          Measurement measurement = measurements.get(i);
          out.println(measurement.finishedAt() + "  " + metric + " #" + (i + 1) + "  "
              + measurement.phase().argoName() + "  " + measurement.explanation());
        }
        printed.put(metric, measurements.size());
      });
      out.flush();
    }

    private static int exitCode(AnalysisDecision.Action action) {
      switch (action) {
        case PROMOTE: return 0;
        case ABORT: return 1;
        default: return 3;
      }
    }
  }
}
