package dev.modelship.controller.registry;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What a {@link RegistryWatcher}'s loop waits on between polls: the interval, or an earlier sign of change. */
interface ChangeSignal extends AutoCloseable {

  /** Called before each poll, so that whatever a poll can see is being watched by then. */
  void beforePoll();

  /** Waits up to {@code timeout}; returns early on a change or when closed. */
  void await(Duration timeout) throws InterruptedException;

  @Override
  void close();

  /** Polling only: for registries that cannot report changes. */
  static ChangeSignal interval() {
    CountDownLatch closed = new CountDownLatch(1);
    return new ChangeSignal() {
      @Override
      public void beforePoll() {
      }

      @Override
      public void await(Duration timeout) throws InterruptedException {
        closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }

      @Override
      public void close() {
        closed.countDown();
      }
    };
  }

  /**
   * Wakes up when a {@link FileSystemModelRegistry}'s root (a new model) or one of its model folders (a version
   * renamed into place) changes. Falls back to the interval where the platform cannot watch.
   */
  static ChangeSignal fileSystem(Path root) {
    WatchService service;
    try {
      service = root.getFileSystem().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      return interval();
    }
    return new FolderWatch(root, service);
  }

  /** See {@link #fileSystem}. */
  final class FolderWatch implements ChangeSignal {
    private final Path root;
    private final WatchService service;
    private final Set<Path> watched = new HashSet<>();

    private FolderWatch(Path root, WatchService service) {
      this.root = root;
      this.service = service;
    }

    @Override
    public void beforePoll() {
      watch(root);
      try (DirectoryStream<Path> models = Files.newDirectoryStream(root,
          entry -> !entry.getFileName().toString().startsWith(".")
              && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))) {
        models.forEach(this::watch);
      } catch (IOException | ClosedWatchServiceException e) {
        // the root does not exist yet or is unreadable: the interval still wakes the loop
      }
    }

    private void watch(Path folder) {
      if (watched.contains(folder) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try {
        folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        watched.add(folder);
      } catch (IOException | ClosedWatchServiceException e) {
        // not watchable (gone again, out of inotify watches): polling at the interval covers it
      }
    }

    @Override
    public void await(Duration timeout) throws InterruptedException {
      try {
        WatchKey key = service.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        while (key != null) {
          key.pollEvents();
          if (!key.reset()) {
            watched.remove((Path) key.watchable());
          }
          key = service.poll();
        }
      } catch (ClosedWatchServiceException e) {
        // closed while waiting: the loop sees that it was closed
      }
    }

    @Override
    public void close() {
      try {
        service.close();
      } catch (IOException e) {
        // nothing is left to release that a closed JVM would not release anyway
      }
    }
  }
}
