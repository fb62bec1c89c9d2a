package dev.modelship.controller.rollout.local;

import java.nio.file.Path;
import java.util.List;

/** Lets tests in other packages clean up serving runtimes the way a restarted launcher does. */
public final class ProcessInstanceLauncherAccess {
  private ProcessInstanceLauncherAccess() {
  }

  public static List<Long> stopLeftovers(Path logs) {
    return ProcessInstanceLauncher.stopLeftovers(logs);
  }
}
