package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.analysis.AnalysisPhase;
import dev.modelship.controller.analysis.AnalysisStatus;
import dev.modelship.controller.analysis.Measurement;
import dev.modelship.controller.analysis.MetricAssessment;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

  private static Measurement measurement(AnalysisPhase phase, MetricValue value) {
    return new Measurement(phase, value, "", T0, T0);
  }

  private static RolloutStatus paused(AnalysisStatus background) {
    return new RolloutStatus("clicks", RolloutStatus.PAUSED, 1, 6, "stable@sha256:1", "canary@sha256:2", 20,
        List.of(), false, "step 2: paused for 10 s", Optional.empty(), Optional.of(background), T0, null, "staging");
  }

  private static AnalysisStatus background(List<Measurement> errorRate, List<Measurement> latency) {
    int errorFailed = (int) errorRate.stream().filter(m -> m.phase() == AnalysisPhase.FAILED).count();
    return new AnalysisStatus("bg-1", T0, errorFailed > 0 ? AnalysisPhase.FAILED : AnalysisPhase.RUNNING, List.of(
        new MetricAssessment("error-rate", AnalysisPhase.RUNNING, errorRate.size(), errorRate.size() - errorFailed,
            errorFailed, 0, 0, 0, ""),
        new MetricAssessment("latency-p99", AnalysisPhase.RUNNING, latency.size(), latency.size(), 0, 0, 0, 0, "")),
        Map.of("error-rate", errorRate, "latency-p99", latency), Optional.empty(), null);
  }

  @Test
  void printsEachNewAnalysisMeasurementOnceWithTheLatestValuesAndCounts() {
    StringWriter text = new StringWriter();
    UpCommand.ConsoleProgress progress = new UpCommand.ConsoleProgress(new PrintWriter(text), () -> "[t]");
    List<Measurement> errors = new ArrayList<>(List.of(measurement(AnalysisPhase.SUCCESSFUL,
        new MetricValue.Vector(List.of(0.0)))));
    List<Measurement> latency = new ArrayList<>(List.of(measurement(AnalysisPhase.SUCCESSFUL,
        new MetricValue.Vector(List.of(0.00412)))));
    progress.observed("clicks", paused(background(errors, latency)));
    progress.observed("clicks", paused(background(errors, latency))); // nothing new: no new line
    errors.add(measurement(AnalysisPhase.FAILED, new MetricValue.Vector(List.of(0.132))));
    latency.add(measurement(AnalysisPhase.SUCCESSFUL, new MetricValue.NoData("no requests")));
    progress.observed("clicks", paused(background(errors, latency)));

    assertThat(text.toString().lines().toList()).containsExactly(
        "[t] clicks[staging] Paused step 1/6 canary 20%: step 2: paused for 10 s",
        "[t] clicks[staging] background analysis: error-rate 0.000 (1 ok); latency-p99 0.004120 (1 ok) -> RUNNING",
        "[t] clicks[staging] background analysis: error-rate 0.1320 (1 ok, 1 failed); latency-p99 no data (2 ok)"
            + " -> FAILED");
  }
}
