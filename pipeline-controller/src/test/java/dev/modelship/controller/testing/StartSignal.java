package dev.modelship.controller.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * For test processes that must start their work together: each waits for a "go" file the test creates once every
 * process is ready. Waits on file-system events, not by polling with sleeps (the processes run on the packaged
 * jar, without the test libraries).
 */
public final class StartSignal {
  private StartSignal() {
  }

  /** Returns once {@code go} exists. */
  public static void await(Path go) throws IOException, InterruptedException {
    try (WatchService watch = go.getFileSystem().newWatchService()) {
      go.toAbsolutePath().getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      while (!Files.exists(go)) { // checked after registering, so a file created in between is not missed
        WatchKey key = watch.poll(1, TimeUnit.SECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }
}
