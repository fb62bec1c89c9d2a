package dev.modelship.controller.rollout.local;

import java.util.List;

/**
 * Stable and canary backends with the canary's share of traffic (0-100). Picking is smooth weighted round-robin
 * over two groups, so the measured split follows the weight closely even over a few hundred requests; within a
 * group, backends take turns.
 */
public record TrafficSplit(List<Backend> stable, List<Backend> canary, int canaryWeight) {

  public TrafficSplit {
    stable = List.copyOf(stable);
    canary = List.copyOf(canary);
    if (canaryWeight < 0 || canaryWeight > 100) {
      throw new IllegalArgumentException("canary weight must be 0-100, got " + canaryWeight);
    }
  }

  public static TrafficSplit stableOnly(List<Backend> stable) {
    return new TrafficSplit(stable, List.of(), 0);
  }

  /** The share the canary actually gets: none when it has no backend, all when stable has none. */
  public int effectiveCanaryWeight() {
    if (canary.isEmpty()) {
      return 0;
    }
    return stable.isEmpty() ? 100 : canaryWeight;
  }
}
