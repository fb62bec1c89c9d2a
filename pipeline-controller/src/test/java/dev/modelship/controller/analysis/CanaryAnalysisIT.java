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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default canary analysis end to end on real components: real Prometheus scraping real serving runtimes
 * (stable v1 and three canaries) under generated load, judged by the built-in templates and the comparison.
 */
class CanaryAnalysisIT {
  @TempDir
  static Path dir;
  static ServingFleet fleet = new ServingFleet();
  static PrometheusProcess prometheus;

  @BeforeAll
  static void start() throws Exception {
    ServingServer stable = fleet.serve(ServingFleet.mlp(Files.createDirectories(dir.resolve("v1")), "clicks", 1, 16, 1));
    ServingServer healthy = fleet.serve(ServingFleet.mlp(Files.createDirectories(dir.resolve("v2")), "clicks", 2, 16,
        2));
    ServingServer broken = fleet.serve(ServingFleet.logarithm(Files.createDirectories(dir.resolve("v3")), "clicks", 3));
    ServingServer slow = fleet.serve(ServingFleet.slow(Files.createDirectories(dir.resolve("v4")), "clicks", 4, 3000));
    fleet.load(stable, "clicks", 40, 0, 1);
    fleet.load(healthy, "clicks", 40, 0, 2);
    fleet.load(broken, "clicks", 40, 0.2, 3);
    fleet.load(slow, "clicks", 20, 0, 4);
    prometheus = PrometheusProcess.start(Files.createDirectories(dir.resolve("prometheus")), List.of(
        ServingFleet.metricsTarget(stable), ServingFleet.metricsTarget(healthy), ServingFleet.metricsTarget(broken),
        ServingFleet.metricsTarget(slow)));
    // Let Prometheus collect a window's worth of scrapes before the first measurement.
    prometheus.awaitScrapes(4, 6);
  }

  @AfterAll
  static void stop() throws Exception {
    prometheus.close();
    fleet.close();
  }

  static AnalysisStatus analyse(String canaryVersion, String prometheusAddress) throws Exception {
    Map<String, String> args = Map.of("model", "clicks", "version", canaryVersion, "stable-version", "1",
        "prometheus-address", prometheusAddress, "window", "5s", "interval", "2s", "count", "5",
        "min-requests", "10");
    AnalysisRun run = new AnalysisRun("canary-" + canaryVersion, BuiltInAnalyses.canary(), args,
        PrometheusMetricProvider.withDefaultClient(), Clock.systemUTC());
    return new AnalysisRunner(Clock.systemUTC()).runToDecision(run, status -> { });
  }

  @Test
  void aHealthyCanaryIsPromoted() throws Exception {
    AnalysisStatus status = analyse("2", prometheus.address());
    assertThat(status.decision().action()).as(status.decision().explanation()).isEqualTo(Action.PROMOTE);
    assertThat(status.decision().explanation()).contains("metric 'error-rate'").contains("metric 'latency-p99'")
        .contains("canary vs stable");
  }

  @Test
  void aCanaryWhoseModelGivesNonFiniteOutputsForPartOfTheTrafficIsAborted() throws Exception {
    AnalysisStatus status = analyse("3", prometheus.address());
    assertThat(status.decision().action()).as(status.decision().explanation()).isEqualTo(Action.ABORT);
    assertThat(status.decision().explanation()).contains("metric 'error-rate'").contains("failureCondition")
        .contains("0.01");
  }

  @Test
  void aMuchSlowerCanaryIsAbortedByTheComparisonWhileUnderTheLatencyThreshold() throws Exception {
    AnalysisStatus status = analyse("4", prometheus.address());
    assertThat(status.phase()).as(status.decision().explanation()).isEqualTo(AnalysisPhase.SUCCESSFUL);
    assertThat(status.decision().action()).as(status.decision().explanation()).isEqualTo(Action.ABORT);
    assertThat(status.decision().explanation()).contains("canary worse than stable").contains("latency-p50")
        .contains("-> FAIL");
  }
}
