package dev.modelship.controller.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion over one lock file, between threads and between processes. An operating-system file lock
 * ({@link FileChannel#lock()}) is held on behalf of the whole JVM and a second attempt from the same JVM fails
 * instead of waiting, so threads first queue on an in-JVM lock for the same file. That in-JVM table is the one piece
 * of static state here, because the thing it mirrors (the process's file locks) is process-wide too.
 */
final class RegistryLock {
  private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path lockFile;

  RegistryLock(Path lockFile) {
    this.lockFile = lockFile.toAbsolutePath().normalize();
  }

  /** What runs while the lock is held. */
  @FunctionalInterface
  interface Locked<T> {
    T run() throws RegistryException, IOException;
  }

  /** Runs {@code action} holding the lock, waiting for it as long as it takes. */
  <T> T holding(Locked<T> action) throws RegistryException, IOException {
    Held held = acquire();
    T result;
    try {
      result = action.run();
    } catch (Throwable failure) {
      try {
        held.release();
      } catch (IOException releaseFailure) {
        failure.addSuppressed(releaseFailure);
      }
      throw failure;
    }
    held.release();
    return result;
  }

  private Held acquire() throws IOException {
    ReentrantLock threads = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
    threads.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock processes = channel.lock();
      return new Held(threads, channel, processes);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException closeFailure) {
          e.addSuppressed(closeFailure);
        }
      }
      threads.unlock();
      throw e;
    }
  }

  /** The lock, held by the thread that acquired it. */
  private static final class Held {
    private final ReentrantLock threads;
    private final FileChannel channel;
    private final FileLock processes;

    private Held(ReentrantLock threads, FileChannel channel, FileLock processes) {
      this.threads = threads;
      this.channel = channel;
      this.processes = processes;
    }

    void release() throws IOException {
      try {
        processes.release();
        channel.close();
      } finally {
        threads.unlock();
      }
    }
  }
}
