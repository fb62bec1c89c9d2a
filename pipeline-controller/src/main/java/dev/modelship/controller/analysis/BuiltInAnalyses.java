package dev.modelship.controller.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyses Modelship ships: error rate and latency p99 over the metric contract (the same two
 * ClusterAnalysisTemplates the GitOps template installs), and the default canary analysis that runs both and
 * compares the canary with stable.
 */
public final class BuiltInAnalyses {
  public static final String ERROR_RATE = "modelship-error-rate";
  public static final String LATENCY_P99 = "modelship-latency-p99";
  public static final String CANARY = "modelship-canary";
  /** The comparison-only metric of the canary analysis. */
  public static final String MEDIAN_LATENCY = "latency-p50";

  private BuiltInAnalyses() {
  }

  public static AnalysisSpec errorRate() {
    return load(ERROR_RATE);
  }

  public static AnalysisSpec latencyP99() {
    return load(LATENCY_P99);
  }

  /**
   * Both built-in metrics, plus a canary-vs-stable comparison (needs arg {@code stable-version}) of the error rate
   * and of the median latency, measured by an extra metric {@code latency-p50} without conditions. The median,
   * not the p99, is compared: with tens of requests per window a p99 is one or two requests, and comparing such
   * noise would abort healthy canaries (bench/RESULTS.md has the false-abort rates).
   */
  public static AnalysisSpec canary() {
    Map<String, AnalysisSpec.Arg> args = new LinkedHashMap<>();
    List<AnalysisSpec.Metric> metrics = new ArrayList<>();
    for (AnalysisSpec spec : List.of(errorRate(), latencyP99())) {
      for (AnalysisSpec.Arg arg : spec.args()) {
        AnalysisSpec.Arg earlier = args.putIfAbsent(arg.name(), arg);
        if (earlier != null && !java.util.Objects.equals(earlier.value(), arg.value())) {
          throw new IllegalStateException("built-in analyses disagree on the default of arg " + arg.name());
        }
      }
      metrics.addAll(spec.metrics());
    }
    AnalysisSpec.Metric p99 = latencyP99().metrics().get(0);
    AnalysisSpec.Prometheus prometheus = p99.provider().prometheus();
    metrics.add(new AnalysisSpec.Metric(MEDIAN_LATENCY, p99.interval(), p99.count(), p99.initialDelay(),
        p99.failureLimit(), p99.inconclusiveLimit(),
        p99.consecutiveErrorLimit(), null, null, new AnalysisSpec.Provider(new AnalysisSpec.Prometheus(
        prometheus.address(), prometheus.query().replace("{{args.quantile}}", "0.5"), prometheus.timeout(),
        prometheus.headers()))));
    args.put("stable-version", new AnalysisSpec.Arg("stable-version", null));
    AnalysisSpec.Comparison comparison = new AnalysisSpec.Comparison(Map.of("version", "{{args.stable-version}}"),
        List.of(new AnalysisSpec.ComparedMetric("error-rate", "increase", 0.5, 0.005, 50.0, false),
            new AnalysisSpec.ComparedMetric(MEDIAN_LATENCY, "increase", 0.10, 0.001, 50.0, false)),
        null, null, null, null);
    return new AnalysisSpec(CANARY, List.copyOf(args.values()), metrics, comparison);
  }

  public static AnalysisSpec byName(String name) throws AnalysisSpecException {
    switch (name) {
      case ERROR_RATE: return errorRate();
      case LATENCY_P99: return latencyP99();
      case CANARY: return canary();
      default:
        throw new AnalysisSpecException("no built-in analysis '" + name + "' (built in: " + ERROR_RATE + ", "
            + LATENCY_P99 + ", " + CANARY + ")");
    }
  }

  private static AnalysisSpec load(String name) {
    String resource = "templates/" + name + ".yaml";
    try (InputStream in = BuiltInAnalyses.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return AnalysisSpec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (AnalysisSpecException e) {
      throw new IllegalStateException("built-in analysis " + name + " is invalid: " + e.getMessage(), e);
    }
  }
}
