package dev.modelship.controller.analysis.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import dev.modelship.controller.testing.PrometheusProcess;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Prometheus that misbehaves on demand (WireMock): every answer becomes a value, never an exception. */
class PrometheusFaultsIT {
  private WireMockServer wiremock;
  private final PrometheusMetricProvider provider = PrometheusMetricProvider.withDefaultClient();

  @BeforeEach
  void start() {
    wiremock = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
    wiremock.start();
  }

  @AfterEach
  void stop() {
    wiremock.stop();
  }

  private ResolvedMetric metric(String address, Map<String, String> headers) {
    return new ResolvedMetric("m", Optional.empty(), OptionalInt.empty(), Duration.ZERO, 0, 0, 4, null, null,
        new ResolvedMetric.PrometheusQuery(URI.create(address), "sum(up)", Duration.ofSeconds(1), headers));
  }

  private MetricValue answer(int status, String body) {
    wiremock.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(status).withBody(body)));
    return provider.measure(metric(wiremock.baseUrl(), Map.of()), Instant.now());
  }

  private static String failure(MetricValue value) {
    assertThat(value).isInstanceOf(MetricValue.Failure.class);
    return ((MetricValue.Failure) value).message();
  }

  @Test
  void a5xxWithAnHtmlPageIsAFailureSayingSo() {
    assertThat(failure(answer(502, "<html><body>Bad Gateway</body></html>")))
        .contains("answered HTTP 502 with something that is not its JSON API").contains("Bad Gateway");
  }

  @Test
  void anErrorStatusFromPrometheusIsQuoted() {
    assertThat(failure(answer(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"too many "
        + "queries\"}"))).contains("Prometheus rejected the query (HTTP 503, unavailable): too many queries");
  }

  @Test
  void garbageValuesAndResultTypesAreFailures() {
    assertThat(failure(answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
        + "[{\"metric\":{},\"value\":[1,\"lots\"]}]}}"))).contains("answered garbage").contains("'lots'");
    assertThat(failure(answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":"
        + "[1,\"x\"]}}"))).contains("gives a string result");
    assertThat(failure(answer(200, "not json at all"))).contains("not its JSON API");
    assertThat(failure(answer(200, ""))).contains("(empty body)");
  }

  @Test
  void specialValuesAreParsed() {
    MetricValue value = answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{},\"value\":[1,\"NaN\"]},{\"metric\":{},\"value\":[1,\"+Inf\"]}]}}");
    assertThat(((MetricValue.Vector) value).values()).containsExactly(Double.NaN, Double.POSITIVE_INFINITY);
  }

  @Test
  void aSlowPrometheusIsAFailureAfterTheTimeout() {
    wiremock.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withFixedDelay(3000)
        .withBody("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));
    assertThat(failure(provider.measure(metric(wiremock.baseUrl(), Map.of()), Instant.now())))
        .contains("did not answer within 1 s");
  }

  @Test
  void anUnreachablePrometheusIsAFailureNamingIt() throws Exception {
    String nowhere = "http://127.0.0.1:" + PrometheusProcess.freePort();
    assertThat(failure(provider.measure(metric(nowhere, Map.of()), Instant.now())))
        .contains("Prometheus at " + nowhere + " is unreachable");
  }

  @Test
  void headersAreSent() {
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
    MetricValue value = provider.measure(metric(wiremock.baseUrl(), Map.of("X-Scope-OrgID", "team-a")),
        Instant.now());
    assertThat(value).isInstanceOf(MetricValue.NoData.class);
    wiremock.verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withHeader("X-Scope-OrgID", equalTo("team-a")));
  }

  @Test
  void aListOfFailuresNeverThrows() {
    for (int status : List.of(200, 204, 301, 400, 404, 500)) {
      assertThat(answer(status, "{}")).isInstanceOf(MetricValue.Failure.class);
    }
  }
}
