package dev.modelship.controller.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Instant and range queries over Prometheus' HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}).
 * Every answer becomes a value: series, no data, NaN, or a failure saying what went wrong (unreachable, slow,
 * an error from Prometheus, an answer that is not Prometheus' JSON).
 */
public final class PrometheusMetricProvider implements MetricProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET = 120;

  private final HttpClient http;

  /** The HTTP client is passed in, as Argo Rollouts' provider takes its Prometheus API client. */
  public PrometheusMetricProvider(HttpClient http) {
    this.http = http;
  }

  public static PrometheusMetricProvider withDefaultClient() {
    return new PrometheusMetricProvider(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  @Override
  public String type() {
    return "prometheus";
  }

  @Override
  public MetricValue measure(ResolvedMetric metric, Instant at) {
    ResolvedMetric.PrometheusQuery query = metric.query();
    URI uri = URI.create(query.address() + "/api/v1/query?query=" + encode(query.query()) + "&time="
        + seconds(at));
    return call(query, uri, this::instantValue);
  }

  /**
   * A range query: the values of the single series it returns, one per step from {@code start} to {@code end};
   * several series, or none, are values too ({@link MetricValue.Failure}, {@link MetricValue.NoData}).
   */
  public MetricValue range(ResolvedMetric.PrometheusQuery query, Instant start, Instant end, Duration step) {
    URI uri = URI.create(query.address() + "/api/v1/query_range?query=" + encode(query.query()) + "&start="
        + seconds(start) + "&end=" + seconds(end) + "&step=" + Math.max(1, step.toSeconds()) + "s");
    return call(query, uri, this::rangeValues);
  }

  private interface Reader {
    MetricValue read(JsonNode data);
  }

  private MetricValue call(ResolvedMetric.PrometheusQuery query, URI uri, Reader reader) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(query.timeout()).GET();
    query.headers().forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      return new MetricValue.Failure("Prometheus at " + query.address() + " did not answer within "
          + query.timeout().toSeconds() + " s");
    } catch (ConnectException e) {
      return new MetricValue.Failure("Prometheus at " + query.address() + " is unreachable (" + describe(e) + ")");
    } catch (IOException e) {
      return new MetricValue.Failure("Prometheus at " + query.address() + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new MetricValue.Failure("interrupted while querying Prometheus at " + query.address());
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject() || !body.has("status")) {
      return new MetricValue.Failure("Prometheus at " + query.address() + " answered HTTP " + response.statusCode()
          + " with something that is not its JSON API: " + snippet(response.body()));
    }
    if (!"success".equals(body.path("status").asText())) {
      return new MetricValue.Failure("Prometheus rejected the query (HTTP " + response.statusCode() + ", "
          + body.path("errorType").asText("error") + "): " + body.path("error").asText() + " - query: "
          + query.query());
    }
    try {
      return reader.read(body.path("data"));
    } catch (IllegalArgumentException e) {
      return new MetricValue.Failure("Prometheus at " + query.address() + " answered garbage: " + e.getMessage());
    }
  }

  private MetricValue instantValue(JsonNode data) {
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    switch (type) {
      case "vector": {
        if (result.isEmpty()) {
          return new MetricValue.NoData("the query matched no series");
        }
        List<Double> values = new ArrayList<>();
        for (JsonNode series : result) {
          values.add(number(series.path("value").path(1)));
        }
        return new MetricValue.Vector(values);
      }
      case "scalar":
        return new MetricValue.Scalar(number(result.path(1)));
      default:
        return new MetricValue.Failure("the query gives a " + type + " result; an analysis query must give an "
            + "instant vector or a scalar");
    }
  }

  private MetricValue rangeValues(JsonNode data) {
    JsonNode result = data.path("result");
    if (!"matrix".equals(data.path("resultType").asText())) {
      return new MetricValue.Failure("a range query gave a " + data.path("resultType").asText() + " result");
    }
    if (result.isEmpty()) {
      return new MetricValue.NoData("the range query matched no series");
    }
    if (result.size() > 1) {
      return new MetricValue.Failure("the range query matched " + result.size() + " series; aggregate it to one "
          + "(e.g. sum(...) or histogram_quantile over sum by (le))");
    }
    List<Double> values = new ArrayList<>();
    for (JsonNode point : result.get(0).path("values")) {
      values.add(number(point.path(1)));
    }
    return new MetricValue.Vector(values);
  }

  /** Prometheus writes sample values as strings, including "NaN", "+Inf" and "-Inf". */
  private static double number(JsonNode value) {
    String text = value.asText();
    switch (text) {
      case "NaN": return Double.NaN;
      case "+Inf": return Double.POSITIVE_INFINITY;
      case "-Inf": return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("sample value '" + text + "' is not a number");
        }
    }
  }

  private static String seconds(Instant at) {
    return String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String snippet(String body) {
    String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return flat.isEmpty() ? "(empty body)" : flat.length() > SNIPPET ? flat.substring(0, SNIPPET) + "..." : flat;
  }
}
