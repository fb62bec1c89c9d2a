package dev.modelship.controller.cli;

import dev.modelship.controller.local.DemoTraffic;
import dev.modelship.controller.rollout.RolloutStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the router's actual traffic split: remembers when each canary weight held in each environment (from
 * the rollout statuses), then counts which backend answered the live requests sent inside those intervals, leaving
 * out the first and last second of each (a weight change takes effect between two requests, not at a status).
 */
final class SplitMeter {
  private static final long MARGIN_NANOS = 1_000_000_000L;
  private static final long MIN_NANOS = 4_000_000_000L;

  /** A weight that held from {@code from} to {@code to} ({@link System#nanoTime()}). */
  private record Interval(String environment, String canaryImage, int weight, long from, long to) {
  }

  /** What the router did while a weight held. */
  record Measured(String environment, String canary, int weight, long requests, double share) {
  }

  private final Map<String, Interval> open = new HashMap<>();
  private final List<Interval> closed = new ArrayList<>();

  synchronized void observed(RolloutStatus status) {
    String environment = String.valueOf(status.environment());
    String canary = status.aborted() ? null : status.canaryImage();
    int weight = canary == null ? 0 : status.canaryWeight();
    Interval current = open.get(environment);
    if (current != null && current.weight() == weight && java.util.Objects.equals(current.canaryImage(), canary)) {
      return;
    }
    long now = System.nanoTime();
    if (current != null) {
      closed.add(new Interval(environment, current.canaryImage(), current.weight(), current.from(), now));
    }
    open.put(environment, new Interval(environment, canary, weight, now, Long.MAX_VALUE));
  }

  /** The share of requests each canary got while its weight held, for weights strictly between 0 and 100. */
  synchronized List<Measured> measure(Map<String, DemoTraffic> trafficByEnvironment) {
    List<Measured> measured = new ArrayList<>();
    for (Interval interval : closed) {
      DemoTraffic traffic = trafficByEnvironment.get(interval.environment());
      if (traffic == null || interval.canaryImage() == null || interval.weight() <= 0 || interval.weight() >= 100
          || interval.to() - interval.from() < MIN_NANOS) {
        continue;
      }
      String digest = interval.canaryImage().substring(interval.canaryImage().indexOf("sha256:") + 7);
      String shortDigest = digest.substring(0, 12);
      long requests = 0;
      long canary = 0;
      for (DemoTraffic.Sample sample : traffic.samples()) {
        if (sample.sentAtNanos() >= interval.from() + MARGIN_NANOS && sample.sentAtNanos() < interval.to()
            - MARGIN_NANOS) {
          requests++;
          canary += sample.backend().contains(shortDigest) ? 1 : 0;
        }
      }
      if (requests > 0) {
        measured.add(new Measured(interval.environment(), shortDigest, interval.weight(), requests,
            (double) canary / requests));
      }
    }
    return measured;
  }
}
