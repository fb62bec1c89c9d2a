package dev.modelship.controller.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.Map;

/**
 * An analysis as written: the same fields and meaning as the {@code spec} of an Argo Rollouts AnalysisTemplate
 * (args, metrics with interval/count/limits/conditions, a Prometheus provider), strings still holding their
 * {@code {{args.x}}} placeholders. {@link AnalysisResolver} turns it into something to run.
 *
 * <pre>
 * name: modelship-error-rate
 * args:
 *   - name: model
 *   - name: max-error-rate
 *     value: "0.01"                 # a default
 * metrics:
 *   - name: error-rate
 *     interval: 30s
 *     count: 5
 *     initialDelay: 30s
 *     failureLimit: 1
 *     inconclusiveLimit: 2
 *     consecutiveErrorLimit: 4
 *     successCondition: len(result) > 0 &amp;&amp; result[0] &lt;= {{args.max-error-rate}}
 *     failureCondition: len(result) > 0 &amp;&amp; result[0] > {{args.max-error-rate}}
 *     provider:
 *       prometheus:
 *         address: "{{args.prometheus-address}}"
 *         timeout: 10
 *         query: sum(rate(...))
 * comparison:                       # optional, controller only (Argo has no equivalent; render drops it)
 *   baselineArgs: {version: "{{args.stable-version}}"}
 *   metrics:
 *     - metric: latency-p99
 *       badDirection: increase
 *       relativeTolerance: 0.1
 *       absoluteTolerance: 0.001
 *       weight: 50
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisSpec(String name, List<Arg> args, List<Metric> metrics, Comparison comparison) {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  public AnalysisSpec {
    args = args == null ? List.of() : List.copyOf(args);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** This spec without its comparison: what an Argo AnalysisTemplate can express. */
  public AnalysisSpec withoutComparison() {
    return new AnalysisSpec(name, args, metrics, null);
  }

  /**
   * Canary against stable: the listed metrics are measured a second time with {@code baselineArgs} overriding
   * the args (so they measure the stable version) and compared by the comparative judge.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Comparison(Map<String, String> baselineArgs, List<ComparedMetric> metrics, Double passScore,
                           Double marginalScore, Double alpha, Integer minSamples) {
    public Comparison {
      baselineArgs = baselineArgs == null ? Map.of() : Map.copyOf(baselineArgs);
      metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }
  }

  /** How one metric is compared; see {@code ComparativeJudge.MetricRule}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ComparedMetric(String metric, String badDirection, Double relativeTolerance, Double absoluteTolerance,
                               Double weight, Boolean critical) {
  }

  /** An argument; {@code value} is its default, null when the caller must give it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Arg(String name, String value) {
  }

  /** One metric, with Argo's field names. Limits and count are strings until args are substituted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Metric(String name, String interval, String count, String initialDelay, String failureLimit,
                       String inconclusiveLimit, String consecutiveErrorLimit, String successCondition,
                       String failureCondition, Provider provider) {
  }

  /** Exactly one provider must be set; an unknown provider is a configuration error. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Provider(Prometheus prometheus) {
  }

  /** Argo's Prometheus provider: {@code timeout} in seconds, {@code headers} as key/value pairs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prometheus(String address, String query, String timeout, List<Header> headers) {
    public Prometheus {
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  public record Header(String key, String value) {
  }

  public static AnalysisSpec parse(String yaml) throws AnalysisSpecException {
    try {
      AnalysisSpec spec = YAML.readValue(yaml, AnalysisSpec.class);
      if (spec == null || spec.metrics().isEmpty()) {
        throw new AnalysisSpecException("an analysis spec needs at least one metric");
      }
      return spec;
    } catch (UnrecognizedPropertyException e) {
      throw new AnalysisSpecException(unknownKey(e));
    } catch (JsonProcessingException e) {
      throw new AnalysisSpecException("analysis spec: " + e.getOriginalMessage(), e);
    }
  }

  private static String unknownKey(UnrecognizedPropertyException e) {
    String message = "analysis spec: unknown key '" + e.getPropertyName() + "' in " + e.getPathReference();
    if ("provider".equals(e.getPathReference().replaceAll(".*\\[\"(\\w+)\"\\].*", "$1"))
        || e.getReferringClass() == Provider.class) {
      return "unknown metric provider '" + e.getPropertyName() + "' (supported: prometheus)";
    }
    return message;
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the analysis spec", e);
    }
  }

  /** Arg defaults by name. */
  public Map<String, String> defaults() {
    java.util.Map<String, String> defaults = new java.util.LinkedHashMap<>();
    for (Arg arg : args) {
      if (arg.value() != null) {
        defaults.put(arg.name(), arg.value());
      }
    }
    return defaults;
  }
}
