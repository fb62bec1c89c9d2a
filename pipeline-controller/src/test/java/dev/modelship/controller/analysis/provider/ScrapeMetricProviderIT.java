package dev.modelship.controller.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scrape provider against HTTP endpoints whose counters the test sets, at instants the test chooses. */
class ScrapeMetricProviderIT {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  private final AtomicReference<String> exposition = new AtomicReference<>("");
  private HttpServer server;
  private URI target;
  private final Map<String, List<URI>> targets = new HashMap<>();
  private ScrapeMetricProvider provider;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> {
      byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    targets.put("clicks:2", List.of(target));
    provider = new ScrapeMetricProvider(HttpClient.newHttpClient(),
        (model, version) -> targets.getOrDefault(model + ":" + version, List.of()), Duration.ofMinutes(5));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void counters(double ok, double errors, double fast, double slow) {
    exposition.set("# TYPE modelship_requests_total counter\n"
        + "modelship_requests_total{code=\"200\",model=\"clicks\",protocol=\"v2\",version=\"2\"} " + ok + "\n"
        + "modelship_requests_total{code=\"500\",model=\"clicks\",protocol=\"v2\",version=\"2\"} " + errors + "\n"
        + "modelship_requests_total{code=\"200\",model=\"clicks\",protocol=\"v2\",version=\"1\"} 99999\n"
        + "modelship_request_duration_seconds_bucket{model=\"clicks\",version=\"2\",le=\"0.01\"} " + fast + "\n"
        + "modelship_request_duration_seconds_bucket{model=\"clicks\",version=\"2\",le=\"0.1\"} " + (fast + slow) + "\n"
        + "modelship_request_duration_seconds_bucket{model=\"clicks\",version=\"2\",le=\"+Inf\"} " + (fast + slow)
        + "\n");
  }

  private static ResolvedMetric metric(String name, String version, String minRequests) {
    return new ResolvedMetric(name, Optional.of(Duration.ofSeconds(10)), OptionalInt.of(3), Duration.ZERO, 0, 0, 4,
        null, null, new ResolvedMetric.PrometheusQuery(URI.create("http://unused"), "builtin", Duration.ofSeconds(5),
        Map.of()), Map.of("model", "clicks", "version", version, "window", "30s", "min-requests", minRequests,
        "quantile", "0.99"));
  }

  @Test
  void errorRateIsTheShareOf5xxInTheWindow() {
    counters(100, 0, 100, 0);
    assertThat(provider.measure(metric("error-rate", "2", "10"), T0)).isInstanceOf(MetricValue.NoData.class);
    counters(190, 10, 200, 0);
    MetricValue value = provider.measure(metric("error-rate", "2", "10"), T0.plusSeconds(10));
    assertThat(((MetricValue.Vector) value).values().get(0)).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void fewerRequestsThanTheMinimumIsNoData() {
    counters(100, 0, 100, 0);
    provider.measure(metric("error-rate", "2", "50"), T0);
    counters(110, 0, 110, 0);
    MetricValue value = provider.measure(metric("error-rate", "2", "50"), T0.plusSeconds(10));
    assertThat(value).isInstanceOf(MetricValue.NoData.class);
    assertThat(((MetricValue.NoData) value).detail()).contains("10 request(s) to clicks:2 in the last 30s")
        .contains("fewer than min-requests 50");
  }

  @Test
  void onlyTheWindowCounts() {
    counters(0, 0, 0, 0);
    provider.measure(metric("error-rate", "2", "1"), T0);
    counters(50, 50, 100, 0);
    provider.measure(metric("error-rate", "2", "1"), T0.plusSeconds(10));
    counters(150, 50, 200, 0);
    provider.measure(metric("error-rate", "2", "1"), T0.plusSeconds(40));
    counters(250, 50, 300, 0);
    MetricValue value = provider.measure(metric("error-rate", "2", "1"), T0.plusSeconds(50));
    // From the scrape at +10 s (the last at or before +50 s - 30 s) to +50 s: 200 requests, no errors.
    assertThat(((MetricValue.Vector) value).values().get(0)).isZero();
  }

  @Test
  void aRestartedInstanceCountsFromZeroLikePromqlIncrease() {
    counters(1000, 0, 1000, 0);
    provider.measure(metric("error-rate", "2", "1"), T0);
    counters(20, 5, 25, 0);
    MetricValue value = provider.measure(metric("error-rate", "2", "1"), T0.plusSeconds(10));
    assertThat(((MetricValue.Vector) value).values().get(0)).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void latencyQuantileInterpolatesInsideTheBucketLikeHistogramQuantile() {
    counters(0, 0, 0, 0);
    provider.measure(metric("latency-p99", "2", "1"), T0);
    counters(100, 0, 90, 10);
    MetricValue value = provider.measure(metric("latency-p99", "2", "1"), T0.plusSeconds(10));
    // rank 99 of 100 lies in (0.01, 0.1]: 0.01 + 0.09 * (99 - 90) / 10
    assertThat(((MetricValue.Vector) value).values().get(0)).isCloseTo(0.091, within(1e-9));
  }

  @Test
  void quantileMathMatchesPromql() {
    TreeMap<Double, Double> buckets = new TreeMap<>(Map.of(0.1, 50.0, 0.5, 90.0, 1.0, 100.0,
        Double.POSITIVE_INFINITY, 100.0));
    assertThat(ScrapeMetricProvider.quantile(0.5, buckets)).isCloseTo(0.1, within(1e-9));
    assertThat(ScrapeMetricProvider.quantile(0.7, buckets)).isCloseTo(0.3, within(1e-9));
    assertThat(ScrapeMetricProvider.quantile(0.95, buckets)).isCloseTo(0.75, within(1e-9));
    TreeMap<Double, Double> overflow = new TreeMap<>(Map.of(0.1, 10.0, Double.POSITIVE_INFINITY, 100.0));
    assertThat(ScrapeMetricProvider.quantile(0.99, overflow)).isEqualTo(0.1);
    assertThat(ScrapeMetricProvider.quantile(0.99, new TreeMap<>())).isNaN();
  }

  @Test
  void noRunningInstanceIsNoDataAndUnreachableInstancesAreAFailure() throws Exception {
    assertThat(provider.measure(metric("error-rate", "9", "1"), T0)).isInstanceOf(MetricValue.NoData.class);
    server.stop(0);
    MetricValue value = provider.measure(metric("error-rate", "2", "1"), T0);
    assertThat(value).isInstanceOf(MetricValue.Failure.class);
    assertThat(((MetricValue.Failure) value).message()).contains("cannot scrape any instance of clicks:2");
  }

  @Test
  void onlyBuiltInMetricsAreAnswered() {
    assertThat(provider.measure(metric("cpu", "2", "1"), T0)).isInstanceOf(MetricValue.Failure.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        ScrapeMetricProvider.requireBuiltIn(List.of(metric("cpu", "2", "1"))))
        .hasMessageContaining("metric 'cpu' needs Prometheus");
  }

  @Test
  void parsesTheExpositionFormatWithEscapes() {
    List<ExpositionParser.Sample> samples = ExpositionParser.parse("# HELP x y\nmetric{a=\"q\\\"uote\",b=\"x\"} 2.5\n"
        + "plain 3\nspecial{le=\"+Inf\"} +Inf\n");
    assertThat(samples).hasSize(3);
    assertThat(samples.get(0).label("a")).isEqualTo("q\"uote");
    assertThat(samples.get(0).value()).isEqualTo(2.5);
    assertThat(samples.get(2).value()).isInfinite();
  }
}
