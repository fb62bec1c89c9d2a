package dev.modelship.controller.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import dev.modelship.controller.testing.PrometheusProcess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider against a real Prometheus scraping a real HTTP endpoint. */
class PrometheusMetricProviderIT {
  @TempDir
  static Path dir;
  static HttpServer target;
  static PrometheusProcess prometheus;
  static final AtomicLong requests = new AtomicLong();
  final PrometheusMetricProvider provider = PrometheusMetricProvider.withDefaultClient();

  @BeforeAll
  static void start() throws Exception {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", exchange -> {
      long count = requests.addAndGet(10);
      byte[] body = ("# HELP test_requests_total Requests.\n# TYPE test_requests_total counter\n"
          + "test_requests_total{code=\"200\"} " + count + "\ntest_requests_total{code=\"500\"} 0\n"
          + "# HELP test_ratio A ratio.\n# TYPE test_ratio gauge\ntest_ratio 0.25\n")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    target.start();
    prometheus = PrometheusProcess.start(dir, List.of("127.0.0.1:" + target.getAddress().getPort()));
    PrometheusMetricProvider provider = PrometheusMetricProvider.withDefaultClient();
    await().atMost(Duration.ofSeconds(60)).until(() ->
        provider.measure(metric("sum(rate(test_requests_total[5s]))"), Instant.now()) instanceof MetricValue.Vector);
  }

  @AfterAll
  static void stop() throws Exception {
    prometheus.close();
    target.stop(0);
  }

  static ResolvedMetric metric(String query) {
    return new ResolvedMetric("m", Optional.empty(), OptionalInt.empty(), Duration.ZERO, 0, 0, 4, null, null,
        new ResolvedMetric.PrometheusQuery(URI.create(prometheus.address()), query, Duration.ofSeconds(5), Map.of()));
  }

  @Test
  void anInstantVectorQueryGivesOneValuePerSeries() {
    MetricValue value = provider.measure(metric("test_ratio"), Instant.now());
    assertThat(value).isEqualTo(new MetricValue.Vector(List.of(0.25)));
    MetricValue perCode = provider.measure(metric("test_requests_total"), Instant.now());
    assertThat(((MetricValue.Vector) perCode).values()).hasSize(2);
  }

  @Test
  void aRateOverRealScrapesIsPositive() {
    MetricValue value = provider.measure(metric("sum(rate(test_requests_total{code=\"200\"}[5s]))"), Instant.now());
    assertThat(((MetricValue.Vector) value).values().get(0)).isPositive();
  }

  @Test
  void noMatchingSeriesIsNoData() {
    assertThat(provider.measure(metric("test_ratio{job=\"elsewhere\"}"), Instant.now()))
        .isInstanceOf(MetricValue.NoData.class);
  }

  @Test
  void zeroDividedByZeroIsNaN() {
    MetricValue value = provider.measure(metric("sum(rate(test_requests_total{code=\"500\"}[5s])) / "
        + "sum(rate(test_requests_total{code=\"500\"}[5s]))"), Instant.now());
    assertThat(((MetricValue.Vector) value).values().get(0)).isNaN();
  }

  @Test
  void scalarsAreScalars() {
    assertThat(provider.measure(metric("scalar(test_ratio) * 2"), Instant.now()))
        .isEqualTo(new MetricValue.Scalar(0.5));
  }

  @Test
  void aBadQueryIsAFailureQuotingPrometheus() {
    MetricValue value = provider.measure(metric("sum(rate(test_requests_total[5s])"), Instant.now());
    assertThat(value).isInstanceOf(MetricValue.Failure.class);
    assertThat(((MetricValue.Failure) value).message()).contains("Prometheus rejected the query")
        .contains("bad_data");
  }

  @Test
  void aRangeVectorForAnInstantQueryIsAFailure() {
    MetricValue value = provider.measure(metric("test_ratio[10s]"), Instant.now());
    assertThat(((MetricValue.Failure) value).message()).contains("gives a matrix result");
  }

  @Test
  void rangeQueriesGiveOneValuePerStep() {
    Instant end = Instant.now();
    MetricValue value = provider.range(metric("test_ratio").query(), end.minusSeconds(4), end, Duration.ofSeconds(1));
    assertThat(((MetricValue.Vector) value).values()).isNotEmpty().allSatisfy(v -> assertThat(v).isEqualTo(0.25));
    MetricValue several = provider.range(metric("test_requests_total").query(), end.minusSeconds(4), end,
        Duration.ofSeconds(1));
    assertThat(((MetricValue.Failure) several).message()).contains("matched 2 series");
  }
}
