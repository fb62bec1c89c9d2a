package dev.modelship.serving.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The serving runtime's metrics, named as in the metric-name contract (docs/metrics.md): every series carries
 * {@code model} and {@code version}, and every label value comes from a bounded set.
 */
public final class ServingMetrics {
  static final double[] LATENCY_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
      0.25, 0.5, 1, 2.5, 5, 10};
  static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter textWriter = PrometheusTextFormatWriter.create();
  private final OpenMetricsTextFormatWriter openMetricsWriter = OpenMetricsTextFormatWriter.create();

  final Counter requests = Counter.builder()
      .name("modelship_requests_total")
      .help("Inference requests answered, by HTTP status code and protocol (v2, v1).")
      .labelNames("model", "version", "code", "protocol")
      .register(registry);
  final Histogram requestDuration = Histogram.builder()
      .name("modelship_request_duration_seconds")
      .help("Time from receiving an inference request to having its response ready.")
      .labelNames("model", "version")
      .classicOnly()
      .classicUpperBounds(LATENCY_BUCKETS)
      .register(registry);
  final Histogram queueDuration = Histogram.builder()
      .name("modelship_queue_duration_seconds")
      .help("Time an accepted request waited in the batching queue.")
      .labelNames("model", "version")
      .classicOnly()
      .classicUpperBounds(LATENCY_BUCKETS)
      .register(registry);
  final Histogram inferenceDuration = Histogram.builder()
      .name("modelship_inference_duration_seconds")
      .help("Time of one ONNX Runtime run, per batch.")
      .labelNames("model", "version")
      .classicOnly()
      .classicUpperBounds(LATENCY_BUCKETS)
      .register(registry);
  final Histogram batchSize = Histogram.builder()
      .name("modelship_batch_size")
      .help("Rows per ONNX Runtime run.")
      .labelNames("model", "version")
      .classicOnly()
      .classicUpperBounds(BATCH_SIZE_BUCKETS)
      .register(registry);
  final Gauge inflight = Gauge.builder()
      .name("modelship_inflight_requests")
      .help("Inference requests being handled now (queued or running).")
      .labelNames("model", "version")
      .register(registry);
  final Info modelInfo = Info.builder()
      .name("modelship_model_info")
      .help("A served model version: sha256 of its model.onnx and the device it runs on.")
      .labelNames("model", "version", "sha256", "device")
      .register(registry);

  public ServingMetrics() {
    JvmMetrics.builder().register(registry);
  }

  /** The metrics of one served model version; also announces it in {@code modelship_model_info}. */
  public ModelMetrics register(String model, String version, String sha256, String device) {
    modelInfo.addLabelValues(model, version, sha256, device);
    return new ModelMetrics(this, model, version);
  }

  public void unregister(String model, String version, String sha256, String device) {
    modelInfo.remove(model, version, sha256, device);
  }

  /** The content type {@link #write} uses for this {@code Accept} header. */
  public String contentType(String accept) {
    return writerFor(accept).getContentType();
  }

  /** Writes every metric: OpenMetrics when {@code accept} asks for it, else the Prometheus text format. */
  public void write(String accept, OutputStream out) throws IOException {
    writerFor(accept).write(out, registry.scrape(), EscapingScheme.fromAcceptHeader(accept));
  }

  private ExpositionFormatWriter writerFor(String accept) {
    return openMetricsWriter.accepts(accept) ? openMetricsWriter : textWriter;
  }
}
