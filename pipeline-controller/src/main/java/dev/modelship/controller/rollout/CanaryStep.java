package dev.modelship.controller.rollout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One step of an Argo Rollouts canary strategy, as far as the local engine runs them. */
public sealed interface CanaryStep {

  /** {@code setWeight: N}: send N % of traffic to the canary. */
  record SetWeight(int weight) implements CanaryStep {
    public SetWeight {
      if (weight < 0 || weight > 100) {
        throw new IllegalArgumentException("setWeight must be 0-100, got " + weight);
      }
    }
  }

  /** {@code pause: {duration: 30s}} or {@code pause: {}} (until promoted). */
  record Pause(Optional<Duration> duration) implements CanaryStep {
  }

  /** {@code analysis: {templates: [...], args: [...]}}: run the templates; the step ends with their decision. */
  record Analysis(List<String> templates, Map<String, ArgValue> args) implements CanaryStep {
    public Analysis {
      templates = List.copyOf(templates);
      args = Map.copyOf(args);
    }
  }

  /**
   * An analysis arg: a literal, or a value the engine fills in (the canary's or stable's version, taken from a
   * pod-template label or the pod template hash).
   */
  sealed interface ArgValue {
    record Literal(String value) implements ArgValue {
    }

    /** {@code valueFrom.fieldRef.fieldPath: metadata.labels['KEY']} of the canary's pod template. */
    record CanaryLabel(String key) implements ArgValue {
    }

    /** {@code valueFrom.podTemplateHashValue: Latest|Stable}. */
    record PodTemplateHash(boolean stable) implements ArgValue {
    }
  }
}
