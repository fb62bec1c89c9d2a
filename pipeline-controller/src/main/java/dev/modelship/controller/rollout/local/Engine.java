package dev.modelship.controller.rollout.local;

/** How the local engine runs an instance of a serving image ({@code modelship up --engine}). */
public enum Engine {
  /** A process of this machine's JVM running the image's runtime and model, unpacked: {@link ProcessInstanceLauncher}. */
  PROCESS,
  /** A podman container of the whole image, base included, as a cluster runs it: {@link PodmanInstanceLauncher}. */
  PODMAN
}
