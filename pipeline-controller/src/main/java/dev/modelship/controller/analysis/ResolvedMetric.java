package dev.modelship.controller.analysis;

import dev.modelship.controller.analysis.expr.Condition;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A metric ready to measure: args substituted, durations and limits parsed, conditions parsed.
 *
 * @param interval time between measurements; empty means a single measurement
 * @param count measurements to take; empty with an interval means "until the analysis is stopped" (background)
 * @param successCondition null when not set
 * @param failureCondition null when not set
 * @param args the analysis args with their values (providers that answer built-in metrics read them)
 */
public record ResolvedMetric(String name, Optional<Duration> interval, OptionalInt count, Duration initialDelay,
                             int failureLimit, int inconclusiveLimit, int consecutiveErrorLimit,
                             Condition successCondition, Condition failureCondition, PrometheusQuery query,
                             Map<String, String> args) {

  public ResolvedMetric {
    args = Map.copyOf(args);
  }

  /** A metric without args. */
  public ResolvedMetric(String name, Optional<Duration> interval, OptionalInt count, Duration initialDelay,
                        int failureLimit, int inconclusiveLimit, int consecutiveErrorLimit,
                        Condition successCondition, Condition failureCondition, PrometheusQuery query) {
    this(name, interval, count, initialDelay, failureLimit, inconclusiveLimit, consecutiveErrorLimit,
        successCondition, failureCondition, query, Map.of());
  }

  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

  /** Measurements this metric takes at most; {@link Integer#MAX_VALUE} for an indefinite one. */
  public int effectiveCount() {
    if (count.isPresent()) {
      return count.getAsInt();
    }
    return interval.isPresent() ? Integer.MAX_VALUE : 1;
  }

  /** A Prometheus query with where and how to ask it. */
  public record PrometheusQuery(URI address, String query, Duration timeout, Map<String, String> headers) {
    public PrometheusQuery {
      headers = Map.copyOf(headers);
    }
  }
}
