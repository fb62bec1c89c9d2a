package dev.modelship.controller.analysis.provider;

import dev.modelship.controller.analysis.GoDuration;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The embedded default: no Prometheus. Scrapes the serving runtimes' {@code /metrics} itself, keeps a short
 * history of the counters, and answers the two built-in metrics from their increase over the window:
 * {@code error-rate} (5xx over all requests), {@code latency-p99} (the {@code quantile} arg, default 0.99, of the
 * request-duration histogram, interpolated like PromQL's {@code histogram_quantile}) and {@code latency-p50}
 * (its median). All read the args {@code model},
 * {@code version}, {@code window} and {@code min-requests} (fewer requests in the window is no data). Any other
 * metric is a configuration error: configure Prometheus for it.
 */
public final class ScrapeMetricProvider implements MetricProvider {
  public static final Set<String> BUILT_IN = Set.of("error-rate", "latency-p99", "latency-p50");

  private final HttpClient http;
  private final BiFunction<String, String, List<URI>> targets;
  private final ScrapeHistory history;

  /** @param targets the {@code /metrics} URLs of the instances serving a model version */
  public ScrapeMetricProvider(HttpClient http, BiFunction<String, String, List<URI>> targets, Duration retention) {
    this.http = http;
    this.targets = targets;
    this.history = new ScrapeHistory(retention);
  }

  @Override
  public String type() {
    return "scrape";
  }

  /** Checks at configuration time that every metric is one this provider can answer. */
  public static void requireBuiltIn(List<ResolvedMetric> metrics) {
    for (ResolvedMetric metric : metrics) {
      if (!BUILT_IN.contains(metric.name())) {
        throw new IllegalArgumentException("the scrape provider answers only the built-in metrics " + BUILT_IN
            + "; metric '" + metric.name() + "' needs Prometheus (set the analysis provider to prometheus)");
      }
    }
  }

  /** Scrapes every target of a model version now; a target that cannot be scraped is reported, not thrown. */
  public List<String> scrape(String model, String version, Instant at) {
    List<String> problems = new java.util.ArrayList<>();
    for (URI target : targets.apply(model, version)) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          problems.add(target + " answered HTTP " + response.statusCode());
          continue;
        }
        history.record(target, at, ExpositionParser.parse(response.body()));
      } catch (IOException | IllegalArgumentException e) {
        problems.add(target + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problems.add(target + ": interrupted");
      }
    }
    return problems;
  }

  @Override
  public MetricValue measure(ResolvedMetric metric, Instant at) {
    Map<String, String> args = metric.args();
    String model = args.get("model");
    String version = args.get("version");
    if (!BUILT_IN.contains(metric.name()) || model == null || version == null) {
      return new MetricValue.Failure("the scrape provider answers only " + BUILT_IN + " with args model and version");
    }
    List<String> problems = scrape(model, version, at);
    List<URI> urls = targets.apply(model, version);
    if (urls.isEmpty()) {
      return new MetricValue.NoData("no running instance serves " + model + ":" + version);
    }
    if (problems.size() == urls.size()) {
      return new MetricValue.Failure("cannot scrape any instance of " + model + ":" + version + ": " + problems);
    }
    Duration window;
    try {
      window = GoDuration.parse(args.getOrDefault("window", "1m"));
    } catch (dev.modelship.controller.analysis.AnalysisSpecException e) {
      return new MetricValue.Failure("arg window: " + e.getMessage());
    }
    ScrapeHistory.Increase increase = history.increase(urls, at.minus(window), at, model, version);
    double minRequests = Double.parseDouble(args.getOrDefault("min-requests", "1"));
    if (!increase.covered()) {
      return new MetricValue.NoData("collecting: fewer than two scrapes of " + model + ":" + version + " so far");
    }
    if (increase.requests() < minRequests) {
      return new MetricValue.NoData(String.format(java.util.Locale.ROOT,
          "%.0f request(s) to %s:%s in the last %s, fewer than min-requests %.0f", increase.requests(), model,
          version, GoDuration.format(window), minRequests));
    }
    if (metric.name().equals("error-rate")) {
      return new MetricValue.Vector(List.of(increase.errors() / increase.requests()));
    }
    double quantile = metric.name().equals("latency-p50") ? 0.5
        : Double.parseDouble(args.getOrDefault("quantile", "0.99"));
    return new MetricValue.Vector(List.of(quantile(quantile, increase.buckets())));
  }

  /** PromQL's histogram_quantile over cumulative bucket counts keyed by upper bound. */
  static double quantile(double q, TreeMap<Double, Double> buckets) {
    if (buckets.isEmpty()) {
      return Double.NaN;
    }
    double total = buckets.lastEntry().getValue();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double previousBound = 0;
    double previousCount = 0;
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return previousBound; // as PromQL: the highest finite bound
        }
        double inBucket = bucket.getValue() - previousCount;
        return inBucket <= 0 ? bucket.getKey()
            : previousBound + (bucket.getKey() - previousBound) * (rank - previousCount) / inBucket;
      }
      previousBound = bucket.getKey();
      previousCount = bucket.getValue();
    }
    return previousBound;
  }
}
