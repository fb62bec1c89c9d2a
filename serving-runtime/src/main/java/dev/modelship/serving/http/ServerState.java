package dev.modelship.serving.http;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Readiness and admission. The server is live from the start, ready once every model is loaded and warmed up,
 * and not ready again from the moment it starts draining. While draining, new inference requests are refused
 * with 503 and every request already admitted runs to completion.
 */
public final class ServerState {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private volatile ServedModels models = ServedModels.NONE;
  private volatile boolean loaded;
  private volatile boolean draining;
  private int admitted; // guarded by lock

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

  /** Admits an inference request unless the server is draining; an admitted request must call {@link #leave()}. */
  public boolean tryAdmit() {
    lock.lock();
    try {
      if (draining) {
        return false;
      }
      admitted++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  public void leave() {
    lock.lock();
    try {
      if (--admitted == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new requests from now on and waits until every admitted one has left; false on timeout. */
  public boolean drain(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      draining = true;
      long remaining = timeout.toNanos();
      while (admitted > 0) {
        if (remaining <= 0) {
          return false;
        }
        remaining = idle.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  public int admittedRequests() {
    lock.lock();
    try {
      return admitted;
    } finally {
      lock.unlock();
    }
  }
}
