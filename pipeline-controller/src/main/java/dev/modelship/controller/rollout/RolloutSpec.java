package dev.modelship.controller.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Rollout asks for, as the local engine reads it from the rendered GitOps overlay: which image, how many
 * replicas, the canary steps and the background analysis.
 *
 * @param image the container image, {@code name@sha256:...} (always by digest) or {@code name:tag}
 * @param labels the pod template's labels (model name and version live there)
 * @param background the background analysis (empty when none) and the step it starts at
 */
public record RolloutSpec(String name, String image, int replicas, Map<String, String> labels, List<CanaryStep> steps,
                          Optional<CanaryStep.Analysis> background, int backgroundStartingStep,
                          Duration abortScaleDownDelay) {
  public RolloutSpec {
    labels = Map.copyOf(labels);
    steps = List.copyOf(steps);
  }
}
