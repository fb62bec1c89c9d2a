package dev.modelship.serving.metrics;

import dev.modelship.serving.batching.BatchListener;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/** The series of one model version, resolved once so that the request path does no label lookups. */
public final class ModelMetrics implements BatchListener {
  private static final double NANOS_PER_SECOND = 1e9;

  private final ServingMetrics metrics;
  private final String model;
  private final String version;
  private final DistributionDataPoint requestDuration;
  private final DistributionDataPoint queueDuration;
  private final DistributionDataPoint inferenceDuration;
  private final DistributionDataPoint batchSize;
  private final GaugeDataPoint inflight;

  ModelMetrics(ServingMetrics metrics, String model, String version) {
    this.metrics = metrics;
    this.model = model;
    this.version = version;
    this.requestDuration = metrics.requestDuration.labelValues(model, version);
    this.queueDuration = metrics.queueDuration.labelValues(model, version);
    this.inferenceDuration = metrics.inferenceDuration.labelValues(model, version);
    this.batchSize = metrics.batchSize.labelValues(model, version);
    this.inflight = metrics.inflight.labelValues(model, version);
  }

  public void requestStarted() {
    inflight.inc();
  }

  /** A request finished with {@code status} after {@code nanos}; {@code protocol} is {@code v2} or {@code v1}. */
  public void requestFinished(String protocol, int status, long nanos) {
    inflight.dec();
    metrics.requests.labelValues(model, version, Integer.toString(status), protocol).inc();
    requestDuration.observe(nanos / NANOS_PER_SECOND);
  }

  @Override
  public void jobDequeued(long queuedNanos) {
    queueDuration.observe(queuedNanos / NANOS_PER_SECOND);
  }

  @Override
  public void batchRan(int jobs, long rows, long inferenceNanos) {
    inferenceDuration.observe(inferenceNanos / NANOS_PER_SECOND);
    batchSize.observe(rows);
  }
}
