package dev.modelship.controller.analysis;

import java.util.List;

/**
 * What a provider answered for one measurement. Failures are values too: the judge gives each its own outcome.
 */
public sealed interface MetricValue {

  /** An instant vector: one value per series (may be several, may contain NaN). */
  record Vector(List<Double> values) implements MetricValue {
    public Vector {
      values = List.copyOf(values);
    }
  }

  /** A scalar result. */
  record Scalar(double value) implements MetricValue {
  }

  /** The query ran and matched no series (for example: no traffic in the window). */
  record NoData(String detail) implements MetricValue {
  }

  /** The measurement could not be taken: provider down, timeout, bad query, garbage answer. */
  record Failure(String message) implements MetricValue {
  }
}
