package dev.modelship.controller.rollout.local;

import java.nio.file.Path;

/** Lets tests in other packages find the containers the podman engine started for a Modelship home. */
public final class PodmanInstanceLauncherAccess {
  private PodmanInstanceLauncherAccess() {
  }

  /** The value of the label {@code modelship.dev/home} on the containers started for {@code home}. */
  public static String homeLabel(Path home) {
    return PodmanInstanceLauncher.homeLabel(home);
  }
}
