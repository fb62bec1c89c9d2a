package dev.modelship.controller.analysis;

import java.time.Instant;

/** One measurement of a metric, judged: its phase, what was measured, and why it got that phase. */
public record Measurement(AnalysisPhase phase, MetricValue value, String explanation, Instant startedAt,
                          Instant finishedAt) {
}
