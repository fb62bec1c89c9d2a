package dev.modelship.controller.rollout.local;

/** Starts instances of an image; returns once the instance is ready (its readiness probe answers 200). */
public interface InstanceLauncher {
  Instance start(String app, String image, int index) throws Exception;
}
