package dev.modelship.controller.rollout.local;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** One serving instance behind the router: where it listens, and what the router is sending it right now. */
public final class Backend {
  private final String name;
  private final URI base;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();

  public Backend(String name, URI base) {
    this.name = name;
    this.base = base;
  }

  public String name() {
    return name;
  }

  public URI base() {
    return base;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Requests forwarded to this backend so far (answered or not). */
  public long served() {
    return served.get();
  }

  void enter() {
    inFlight.incrementAndGet();
    served.incrementAndGet();
  }

  void leave() {
    inFlight.decrementAndGet();
  }

  @Override
  public String toString() {
    return name + " (" + base + ")";
  }
}
