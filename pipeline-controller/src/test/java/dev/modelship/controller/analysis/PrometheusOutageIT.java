package dev.modelship.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.analysis.AnalysisDecision.Action;
import dev.modelship.controller.analysis.provider.PrometheusMetricProvider;
import dev.modelship.controller.testing.PrometheusProcess;
import dev.modelship.controller.testing.ServingFleet;
import dev.modelship.serving.ServingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus stops in the middle of a healthy canary's analysis: nothing is promoted. */
class PrometheusOutageIT {
  @TempDir
  Path dir;

  @Test
  void prometheusStoppedMidAnalysisPromotesNothing() throws Exception {
    try (ServingFleet fleet = new ServingFleet()) {
      ServingServer stable = fleet.serve(ServingFleet.mlp(Files.createDirectories(dir.resolve("v1")), "clicks", 1, 16,
          1));
      ServingServer canary = fleet.serve(ServingFleet.mlp(Files.createDirectories(dir.resolve("v2")), "clicks", 2, 16,
          2));
      fleet.load(stable, "clicks", 40, 0, 1);
      fleet.load(canary, "clicks", 40, 0, 2);
      PrometheusProcess prometheus = PrometheusProcess.start(Files.createDirectories(dir.resolve("prometheus")),
          List.of(ServingFleet.metricsTarget(stable), ServingFleet.metricsTarget(canary)));
      prometheus.awaitScrapes(2, 6);
      Map<String, String> args = Map.of("model", "clicks", "version", "2", "stable-version", "1",
          "prometheus-address", prometheus.address(), "window", "5s", "interval", "2s", "count", "8",
          "min-requests", "10");
      AnalysisRun run = new AnalysisRun("outage", BuiltInAnalyses.canary(), args,
          PrometheusMetricProvider.withDefaultClient(), Clock.systemUTC());
      AnalysisStatus status = new AnalysisRunner(Clock.systemUTC()).runToDecision(run, progress -> {
        if (progress.measurements().get("error-rate").size() == 3 && prometheus.isAlive()) {
          try {
            prometheus.close();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      assertThat(status.decision().action()).as(status.decision().explanation()).isNotEqualTo(Action.PROMOTE);
      assertThat(status.decision().action()).isIn(Action.ABORT, Action.PAUSE);
      assertThat(status.decision().explanation()).contains("unreachable");
      assertThat(status.measurements().get("error-rate").subList(0, 3))
          .as(status.measurements().get("error-rate").toString())
          .anySatisfy(m -> assertThat(m.phase()).isEqualTo(AnalysisPhase.SUCCESSFUL));
    }
  }
}
