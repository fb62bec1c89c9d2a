package dev.modelship.controller.analysis.provider;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per target, the scrapes of the last {@code retention}, reduced to what the built-in metrics need: request and
 * 5xx counters and the request-duration histogram of each model version. Increases handle counter resets (a
 * restarted instance starts again from zero) the way PromQL's {@code increase} does.
 */
final class ScrapeHistory {
  private final Duration retention;
  private final Map<URI, Deque<Snapshot>> byTarget = new HashMap<>();

  ScrapeHistory(Duration retention) {
    this.retention = retention;
  }

  /** Counters of one model version at one scrape. */
  record Counters(double requests, double errors, TreeMap<Double, Double> buckets) {
  }

  private record Snapshot(Instant at, Map<String, Counters> byVersion) {
  }

  /** What changed over a window, summed over the targets. */
  record Increase(boolean covered, double requests, double errors, TreeMap<Double, Double> buckets) {
  }

  synchronized void record(URI target, Instant at, List<ExpositionParser.Sample> samples) {
    Map<String, Counters> byVersion = new HashMap<>();
    for (ExpositionParser.Sample sample : samples) {
      String key = sample.label("model") + ":" + sample.label("version");
      Counters counters = byVersion.computeIfAbsent(key, k -> new Counters(0, 0, new TreeMap<>()));
      if (sample.name().equals("modelship_requests_total")) {
        boolean error = sample.label("code").startsWith("5");
        byVersion.put(key, new Counters(counters.requests() + sample.value(),
            counters.errors() + (error ? sample.value() : 0), counters.buckets()));
      } else if (sample.name().equals("modelship_request_duration_seconds_bucket")) {
        counters.buckets().merge(Double.parseDouble(sample.label("le").replace("+Inf", "Infinity")), sample.value(),
            Double::sum);
      }
    }
    Deque<Snapshot> snapshots = byTarget.computeIfAbsent(target, t -> new ArrayDeque<>());
    // Several metrics measured at one instant scrape once each: keep the latest scrape of that instant.
    if (!snapshots.isEmpty() && !snapshots.peekLast().at().isBefore(at)) {
      if (snapshots.peekLast().at().isAfter(at)) {
        snapshots.clear(); // time went backwards: the history no longer describes this timeline
      } else {
        snapshots.removeLast();
      }
    }
    snapshots.addLast(new Snapshot(at, byVersion));
    while (snapshots.size() > 2 && snapshots.peekFirst().at().isBefore(at.minus(retention))) {
      snapshots.removeFirst();
    }
  }

  /**
   * The increase of a model version's counters from the last scrape at or before {@code from} (or the first one
   * kept, when the window reaches further back) to the last scrape at or before {@code to}.
   */
  synchronized Increase increase(List<URI> targets, Instant from, Instant to, String model, String version) {
    String key = model + ":" + version;
    boolean covered = false;
    double requests = 0;
    double errors = 0;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Counters none = new Counters(0, 0, new TreeMap<>());
    for (URI target : targets) {
      List<Snapshot> window = new ArrayList<>();
      for (Snapshot snapshot : byTarget.getOrDefault(target, new ArrayDeque<>())) {
        if (snapshot.at().isAfter(to)) {
          break;
        }
        if (!snapshot.at().isAfter(from)) {
          window.clear();
        }
        window.add(snapshot);
      }
      for (int i = 1; i < window.size(); i++) {
        Counters before = window.get(i - 1).byVersion().getOrDefault(key, none);
        Counters after = window.get(i).byVersion().getOrDefault(key, none);
        requests += delta(before.requests(), after.requests());
        errors += delta(before.errors(), after.errors());
        for (Map.Entry<Double, Double> bucket : after.buckets().entrySet()) {
          buckets.merge(bucket.getKey(), delta(before.buckets().getOrDefault(bucket.getKey(), 0.0),
              bucket.getValue()), Double::sum);
        }
        covered = true;
      }
    }
    return new Increase(covered, requests, errors, buckets);
  }

  /** A counter that went down was reset: everything it shows now happened since. */
  private static double delta(double before, double after) {
    return after >= before ? after - before : after;
  }
}
