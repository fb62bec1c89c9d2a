package dev.modelship.controller.analysis.provider;

import dev.modelship.controller.analysis.MetricValue;
import dev.modelship.controller.analysis.ResolvedMetric;
import java.time.Instant;

/**
 * Where measurements come from. One class per backend; a measurement that cannot be taken is a
 * {@link MetricValue.Failure}, not an exception, so the judge decides what it means.
 */
public interface MetricProvider {

  /** The provider's name in configuration, e.g. {@code prometheus}. */
  String type();

  /** Takes one measurement of {@code metric} as of {@code at}. */
  MetricValue measure(ResolvedMetric metric, Instant at);
}
