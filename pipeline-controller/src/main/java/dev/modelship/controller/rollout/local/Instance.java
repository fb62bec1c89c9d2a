package dev.modelship.controller.rollout.local;

import java.net.URI;
import java.time.Duration;

/** A running serving instance of an image: healthy when returned by a launcher, stopped with a drain. */
public interface Instance {
  String name();

  /** Base URL of its HTTP API, e.g. {@code http://127.0.0.1:40123}. */
  URI base();

  default URI metrics() {
    return URI.create(base() + "/metrics");
  }

  /** Stops it, letting admitted requests finish for up to {@code drain}. */
  void stop(Duration drain);
}
