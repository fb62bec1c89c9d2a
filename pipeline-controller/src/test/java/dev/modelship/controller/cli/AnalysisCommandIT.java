package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.testing.ServingFleet;
import dev.modelship.serving.ServingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelship analysis}: rendering, and running the default canary analysis with the embedded scrape provider
 * (no Prometheus) against real serving runtimes under load.
 */
class AnalysisCommandIT {
  @TempDir
  static Path dir;
  static ServingFleet fleet = new ServingFleet();
  static String stableMetrics;
  static String healthyMetrics;
  static String brokenMetrics;

  @BeforeAll
  static void start() throws Exception {
    ServingServer stable = fleet.serve(ServingFleet.mlp(Files.createDirectories(dir.resolve("v1")), "clicks", 1, 16, 1));
    ServingServer healthy = fleet.serve(ServingFleet.mlp(Files.createDirectories(dir.resolve("v2")), "clicks", 2, 16,
        2));
    ServingServer broken = fleet.serve(ServingFleet.logarithm(Files.createDirectories(dir.resolve("v3")), "clicks", 3));
    fleet.load(stable, "clicks", 40, 0, 1);
    fleet.load(healthy, "clicks", 40, 0, 2);
    fleet.load(broken, "clicks", 40, 0.2, 3);
    stableMetrics = "1=http://127.0.0.1:" + stable.port() + "/metrics";
    healthyMetrics = "2=http://127.0.0.1:" + healthy.port() + "/metrics";
    brokenMetrics = "3=http://127.0.0.1:" + broken.port() + "/metrics";
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
  }

  private static CliRun analyse(String version, String canaryTarget) {
    return CliRun.of("analysis", "run", "--arg", "model=clicks", "--arg", "version=" + version,
        "--arg", "stable-version=1", "--arg", "interval=2s", "--arg", "count=5", "--arg", "window=4s",
        "--arg", "min-requests=10", "--scrape", canaryTarget, "--scrape", stableMetrics);
  }

  @Test
  void rendersBothBuiltInTemplatesForArgo() {
    CliRun run = CliRun.of("analysis", "render");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("kind: ClusterAnalysisTemplate").contains("name: modelship-error-rate")
        .contains("name: modelship-latency-p99").contains("\n---\n");
    CliRun namespaced = CliRun.of("analysis", "render", "modelship-error-rate", "--namespace", "models");
    assertThat(namespaced.out()).contains("kind: AnalysisTemplate").contains("namespace: models");
  }

  @Test
  void anUnknownSpecIsAClearError() {
    CliRun run = CliRun.of("analysis", "render", "modelship-cpu");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no built-in analysis 'modelship-cpu'");
  }

  @Test
  void aHealthyCanaryPassesWithTheScrapeProvider() {
    CliRun run = analyse("2", healthyMetrics);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("error-rate #1").contains("decision: PROMOTE");
  }

  @Test
  void aCanaryFailingPartOfItsRequestsIsAbortedWithTheScrapeProvider() {
    CliRun run = analyse("3", brokenMetrics);
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("decision: ABORT").contains("metric 'error-rate'");
  }
}
