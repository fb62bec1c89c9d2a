package dev.modelship.controller.analysis;

import dev.modelship.controller.analysis.compare.ComparativeJudge;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an analysis run has observed and decided so far: the shape the UI, the CLI and commit messages show
 * (per metric: phase, counts and the measurements with their explanations; the comparison; the decision).
 */
public record AnalysisStatus(String id, Instant startedAt, AnalysisPhase phase, List<MetricAssessment> metrics,
                             Map<String, List<Measurement>> measurements,
                             Optional<ComparativeJudge.Verdict> comparison, AnalysisDecision decision) {
  public AnalysisStatus {
    metrics = List.copyOf(metrics);
    measurements = Map.copyOf(measurements);
  }
}
