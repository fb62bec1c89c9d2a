package dev.modelship.controller.api;

import dev.modelship.controller.analysis.AnalysisStatus;
import dev.modelship.controller.analysis.Measurement;
import dev.modelship.controller.pipeline.JournalEntry;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.PipelineRunner;
import dev.modelship.controller.rollout.RolloutStatus;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller's metrics, named as in docs/metrics.md: pipeline outcomes and stage durations (fed by the
 * pipeline journal), rollout phase and canary weight (fed by rollout statuses), and analysis measurements by
 * result (counted once each).
 */
public final class ControllerMetrics implements PipelineRunner.Listener {
  private static final List<String> PHASES = List.of(RolloutStatus.HEALTHY, RolloutStatus.PROGRESSING,
      RolloutStatus.PAUSED, RolloutStatus.DEGRADED);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter runs = Counter.builder().name("modelship_pipeline_runs_total")
      .help("Pipeline runs finished, by outcome.").labelNames("model", "outcome").register(registry);
  private final Histogram stageDuration = Histogram.builder().name("modelship_stage_duration_seconds")
      .help("Time a pipeline stage took.").labelNames("stage").classicOnly()
      .classicUpperBounds(0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600).register(registry);
  private final Gauge phase = Gauge.builder().name("modelship_rollout_phase")
      .help("1 for the phase a model's rollout is in, 0 for the others.").labelNames("model", "phase")
      .register(registry);
  private final Gauge weight = Gauge.builder().name("modelship_canary_weight")
      .help("Share of traffic (percent) the canary receives.").labelNames("model").register(registry);
  private final Counter measurements = Counter.builder().name("modelship_analysis_measurements_total")
      .help("Analysis measurements taken, by result phase.").labelNames("model", "metric", "result")
      .register(registry);
  private final Map<String, Integer> counted = new HashMap<>();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public ControllerMetrics() {
    JvmMetrics.builder().register(registry);
  }

  @Override
  public void recorded(PipelineRun run, JournalEntry entry) {
    if (entry.type() == JournalEntry.Type.FINISHED && entry.outcome() != null) {
      runs.labelValues(run.ref().name(), entry.outcome().name()).inc();
    }
    if (entry.type() == JournalEntry.Type.STAGE_SUCCEEDED || entry.type() == JournalEntry.Type.STAGE_FAILED) {
      run.stage(entry.stage()).filter(stage -> stage.startedAt() != null).ifPresent(stage ->
          stageDuration.labelValues(entry.stage()).observe(
              Duration.between(stage.startedAt(), entry.at()).toMillis() / 1000.0));
    }
  }

  /** Mirrors a rollout status: phase and weight gauges, and each new analysis measurement once. */
  public synchronized void observe(String model, RolloutStatus status) {
    for (String name : PHASES) {
      phase.labelValues(model, name).set(name.equals(status.phase()) ? 1 : 0);
    }
    weight.labelValues(model).set(status.canaryWeight());
    countMeasurements(model, "step", status.stepAnalysis());
    countMeasurements(model, "background", status.backgroundAnalysis());
  }

  private void countMeasurements(String model, String kind, Optional<AnalysisStatus> analysis) {
    if (analysis.isEmpty()) {
      return;
    }
    analysis.get().measurements().forEach((metric, list) -> {
      String key = analysis.get().id() + "/" + kind + "/" + metric;
      int before = counted.getOrDefault(key, 0);
      for (Measurement measurement : list.subList(Math.min(before, list.size()), list.size())) {
        measurements.labelValues(model, metric, measurement.phase().argoName()).inc();
      }
      counted.put(key, list.size());
    });
  }

  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
  }

  public String contentType() {
    return writer.getContentType();
  }
}
