package dev.modelship.controller.local;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Waits for SIGTERM or SIGINT (Ctrl-C) and then runs a clean stop on the calling thread, so a long-running command
 * drains what it started and exits with its own status (0) rather than the JVM's 143 for a signal.
 */
public final class Signals {
  private Signals() {
  }

  /** Blocks until SIGTERM or SIGINT, then runs {@code stop} and returns. */
  public static void awaitTermination(Runnable stop) throws InterruptedException {
    CountDownLatch signalled = new CountDownLatch(1);
    SignalHandler handler = signal -> signalled.countDown();
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
    signalled.await();
    stop.run();
  }
}
