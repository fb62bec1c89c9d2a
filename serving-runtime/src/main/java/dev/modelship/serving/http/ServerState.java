package dev.modelship.serving.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Readiness and admission. The server is live from the start, ready once every model is loaded and warmed up,
 * and not ready again from the moment it starts draining. While draining, new inference requests are refused
 * with 503 and every request already admitted runs to completion.
 */
public final class ServerState {
  private final AtomicInteger admitted = new AtomicInteger();
  private final ReentrantLock drainLock = new ReentrantLock();
  private final Condition idle = drainLock.newCondition();
  private volatile ServedModels models = ServedModels.NONE;
  private volatile boolean loaded;
  private volatile boolean draining;

  public ServedModels models() {
    return models;
  }

  /** Every model is loaded and warmed up: from now on the server is ready unless it drains. */
  public void modelsLoaded(ServedModels served) {
    models = served;
    loaded = true;
  }

  public boolean loaded() {
    return loaded;
  }

  public boolean ready() {
    return loaded && !draining;
  }

  public boolean draining() {
    return draining;
  }

  /**
   * Admits an inference request unless the server is draining; an admitted request must call {@link #leave()}.
   * Lock-free on the request path: a request counted before it sees {@code draining} is one the drain waits for.
   */
  public boolean tryAdmit() {
    admitted.incrementAndGet();
    if (draining) {
      leave();
      return false;
    }
    return true;
  }

  public void leave() {
    if (admitted.decrementAndGet() == 0 && draining) {
      drainLock.lock();
      try {
        idle.signalAll();
      } finally {
        drainLock.unlock();
      }
    }
  }

  /** Refuses new requests from now on and waits until every admitted one has left; false on timeout. */
  public boolean drain(Duration timeout) throws InterruptedException {
    draining = true;
    drainLock.lock();
    try {
      long remaining = timeout.toNanos();
      while (admitted.get() > 0) {
        if (remaining <= 0) {
          return false;
        }
        remaining = idle.awaitNanos(remaining);
      }
      return true;
    } finally {
      drainLock.unlock();
    }
  }

  public int admittedRequests() {
    return admitted.get();
  }
}
