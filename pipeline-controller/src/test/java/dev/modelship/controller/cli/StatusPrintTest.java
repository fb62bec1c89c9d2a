package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.analysis.AnalysisDecision;
import dev.modelship.controller.analysis.AnalysisPhase;
import dev.modelship.controller.analysis.AnalysisStatus;
import dev.modelship.controller.analysis.Measurement;
import dev.modelship.controller.analysis.MetricAssessment;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.api.ControllerApi;
import dev.modelship.controller.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code modelship status} prints a rollout as the API serializes it, analysis measurements included. */
class StatusPrintTest {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void printsTheRolloutAndEachAnalysisMetricsLatestValueCountsAndDecision() throws Exception {
    AnalysisStatus background = new AnalysisStatus("bg-1", T0, AnalysisPhase.FAILED, List.of(
        new MetricAssessment("error-rate", AnalysisPhase.FAILED, 3, 1, 2, 0, 0, 0, ""),
        new MetricAssessment("latency-p99", AnalysisPhase.RUNNING, 3, 2, 0, 1, 0, 0, "")),
        Map.of("error-rate", List.of(
            new Measurement(AnalysisPhase.SUCCESSFUL, new MetricValue.Vector(List.of(0.0)), "", T0, T0),
            new Measurement(AnalysisPhase.FAILED, new MetricValue.Vector(List.of(Double.NaN)), "", T0, T0),
            new Measurement(AnalysisPhase.FAILED, new MetricValue.Vector(List.of(0.132)), "", T0, T0)),
            "latency-p99", List.of(
            new Measurement(AnalysisPhase.INCONCLUSIVE, new MetricValue.NoData("no requests"), "", T0, T0))),
        Optional.empty(), new AnalysisDecision(AnalysisDecision.Action.ABORT, "error-rate failed 2 > failureLimit 1"));
    RolloutStatus status = new RolloutStatus("clicks", RolloutStatus.DEGRADED, 1, 6, "r/s@sha256:1", "r/s@sha256:2",
        0, List.of(), true, "aborted", Optional.empty(), Optional.of(background), T0, "http://127.0.0.1:8180",
        "staging");
    StringWriter text = new StringWriter();

    ControllerCommands.printRollout(new PrintWriter(text, true),
        new ObjectMapper().readTree(ControllerApi.toJson(status)));

    assertThat(text.toString().lines().map(String::strip).toList()).containsExactly(
        "clicks [staging] Degraded    step 1/6  canary 0%  stable r/s@sha256:1  canary r/s@sha256:2",
        "aborted",
        "background analysis FAILED: error-rate 0.1320 (1 ok, 2 failed); latency-p99 no data (2 ok, 1 inconclusive)",
        "ABORT: error-rate failed 2 > failureLimit 1",
        "traffic: http://127.0.0.1:8180");
  }
}
