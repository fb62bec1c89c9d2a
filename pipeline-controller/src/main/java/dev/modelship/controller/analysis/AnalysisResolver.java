package dev.modelship.controller.analysis;

import dev.modelship.controller.analysis.expr.Condition;
import dev.modelship.controller.analysis.expr.ConditionException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code {{args.x}}} and checks everything a run needs. A missing arg is an error naming it, never an
 * empty string; so is a placeholder for an arg the spec does not declare.
 */
public final class AnalysisResolver {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private AnalysisResolver() {
  }

  public static List<ResolvedMetric> resolve(AnalysisSpec spec, Map<String, String> given)
      throws AnalysisSpecException {
    Map<String, String> values = new LinkedHashMap<>(spec.defaults());
    Set<String> declared = new HashSet<>();
    spec.args().forEach(arg -> declared.add(arg.name()));
    for (Map.Entry<String, String> entry : given.entrySet()) {
      if (!declared.contains(entry.getKey())) {
        throw new AnalysisSpecException("arg '" + entry.getKey() + "' is not declared by analysis '" + spec.name()
            + "' (declared: " + declared + ")");
      }
      values.put(entry.getKey(), entry.getValue());
    }
    List<ResolvedMetric> metrics = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (AnalysisSpec.Metric metric : spec.metrics()) {
      if (metric.name() == null || metric.name().isBlank()) {
        throw new AnalysisSpecException("analysis '" + spec.name() + "': a metric has no name");
      }
      if (!names.add(metric.name())) {
        throw new AnalysisSpecException("analysis '" + spec.name() + "': metric '" + metric.name() + "' appears twice");
      }
      metrics.add(new MetricResolver(metric, declared, values).resolve());
    }
    return metrics;
  }

  /** Substitutes every placeholder in {@code text}; null stays null. */
  static String substitute(String text, String where, Set<String> declared, Map<String, String> values)
      throws AnalysisSpecException {
    if (text == null) {
      return null;
    }
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String arg = matcher.group(1);
      if (!declared.contains(arg)) {
        throw new AnalysisSpecException(where + " uses {{args." + arg + "}}, but no arg '" + arg + "' is declared");
      }
      String value = values.get(arg);
      if (value == null) {
        throw new AnalysisSpecException(where + " uses {{args." + arg + "}}, but no value was given for arg '" + arg
            + "' and it has no default");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    if (out.indexOf("{{") >= 0) {
      throw new AnalysisSpecException(where + " has a placeholder that is not {{args.NAME}}: " + out);
    }
    return out.toString();
  }

  /** One metric's resolution, so each error can say which metric and field it is about. */
  private static final class MetricResolver {
    private final AnalysisSpec.Metric metric;
    private final Set<String> declared;
    private final Map<String, String> values;

    MetricResolver(AnalysisSpec.Metric metric, Set<String> declared, Map<String, String> values) {
      this.metric = metric;
      this.declared = declared;
      this.values = values;
    }

    ResolvedMetric resolve() throws AnalysisSpecException {
      Optional<Duration> interval = duration("interval", metric.interval());
      if (interval.isPresent() && interval.get().isZero()) {
        throw new AnalysisSpecException(where("interval") + " must be more than 0");
      }
      String countText = field("count", metric.count());
      OptionalInt count = countText == null ? OptionalInt.empty() : OptionalInt.of(integer("count", countText, 1));
      Duration initialDelay = duration("initialDelay", metric.initialDelay()).orElse(Duration.ZERO);
      int failureLimit = limit("failureLimit", metric.failureLimit(), 0);
      int inconclusiveLimit = limit("inconclusiveLimit", metric.inconclusiveLimit(), 0);
      int errorLimit = limit("consecutiveErrorLimit", metric.consecutiveErrorLimit(),
          ResolvedMetric.DEFAULT_CONSECUTIVE_ERROR_LIMIT);
      return new ResolvedMetric(metric.name(), interval, count, initialDelay, failureLimit, inconclusiveLimit,
          errorLimit, condition("successCondition", metric.successCondition()),
          condition("failureCondition", metric.failureCondition()), query(), values);
    }

    private String where(String field) {
      return "metric '" + metric.name() + "' " + field;
    }

    private String field(String name, String raw) throws AnalysisSpecException {
      return substitute(raw, where(name), declared, values);
    }

    private Optional<Duration> duration(String name, String raw) throws AnalysisSpecException {
      String text = field(name, raw);
      if (text == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(GoDuration.parse(text));
      } catch (AnalysisSpecException e) {
        throw new AnalysisSpecException(where(name) + ": " + e.getMessage());
      }
    }

    private int limit(String name, String raw, int fallback) throws AnalysisSpecException {
      String text = field(name, raw);
      return text == null ? fallback : integer(name, text, 0);
    }

    private int integer(String name, String text, int min) throws AnalysisSpecException {
      try {
        int value = Integer.parseInt(text.trim());
        if (value < min) {
          throw new AnalysisSpecException(where(name) + " must be at least " + min + ", got " + value);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new AnalysisSpecException(where(name) + " must be a whole number, got '" + text + "'");
      }
    }

    private Condition condition(String name, String raw) throws AnalysisSpecException {
      String text = field(name, raw);
      if (text == null) {
        return null;
      }
      try {
        return Condition.parse(text);
      } catch (ConditionException e) {
        throw new AnalysisSpecException(where(name) + ": " + e.getMessage());
      }
    }

    private ResolvedMetric.PrometheusQuery query() throws AnalysisSpecException {
      if (metric.provider() == null || metric.provider().prometheus() == null) {
        throw new AnalysisSpecException(where("provider") + " is missing (supported: prometheus)");
      }
      AnalysisSpec.Prometheus prometheus = metric.provider().prometheus();
      String address = field("provider.prometheus.address", prometheus.address());
      String query = field("provider.prometheus.query", prometheus.query());
      if (address == null || !(address.startsWith("http://") || address.startsWith("https://"))) {
        throw new AnalysisSpecException(where("provider.prometheus.address") + " must be an http(s) URL, got '"
            + address + "'");
      }
      if (query == null || query.isBlank()) {
        throw new AnalysisSpecException(where("provider.prometheus.query") + " is empty");
      }
      String timeout = field("provider.prometheus.timeout", prometheus.timeout());
      Map<String, String> headers = new LinkedHashMap<>();
      for (AnalysisSpec.Header header : prometheus.headers()) {
        headers.put(header.key(), field("provider.prometheus.headers", header.value()));
      }
      return new ResolvedMetric.PrometheusQuery(URI.create(address.replaceAll("/+$", "")), query.trim(),
          timeout == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(integer("provider.prometheus.timeout", timeout, 1)),
          headers);
    }
  }
}
