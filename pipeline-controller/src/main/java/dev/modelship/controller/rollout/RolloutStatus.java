package dev.modelship.controller.rollout;

import dev.modelship.controller.analysis.AnalysisStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A rollout's state in the shape of an Argo Rollout's status, so the UI and CLI show both drivers alike.
 *
 * @param phase Healthy, Progressing, Paused or Degraded (Argo's words)
 * @param currentStepIndex the step being executed; equals the number of steps once fully promoted
 * @param pauseConditions e.g. {@code CanaryPauseStep}, {@code InconclusiveAnalysis}
 * @param aborted whether the canary was aborted (manually or by analysis)
 * @param endpoint where the app takes traffic (the local engine's router), or null
 * @param environment the GitOps environment the rollout runs in (Argo: its namespace), or null
 */
public record RolloutStatus(String name, String phase, int currentStepIndex, int stepCount, String stableImage,
                            String canaryImage, int canaryWeight, List<PauseCondition> pauseConditions,
                            boolean aborted, String message, Optional<AnalysisStatus> stepAnalysis,
                            Optional<AnalysisStatus> backgroundAnalysis, Instant updatedAt,
                            String endpoint, String environment) {

  public static final String HEALTHY = "Healthy";
  public static final String PROGRESSING = "Progressing";
  public static final String PAUSED = "Paused";
  public static final String DEGRADED = "Degraded";

  public RolloutStatus {
    pauseConditions = List.copyOf(pauseConditions);
  }

  public RolloutStatus withEndpoint(String url) {
    return new RolloutStatus(name, phase, currentStepIndex, stepCount, stableImage, canaryImage, canaryWeight,
        pauseConditions, aborted, message, stepAnalysis, backgroundAnalysis, updatedAt, url, environment);
  }

  public RolloutStatus withEnvironment(String value) {
    return new RolloutStatus(name, phase, currentStepIndex, stepCount, stableImage, canaryImage, canaryWeight,
        pauseConditions, aborted, message, stepAnalysis, backgroundAnalysis, updatedAt, endpoint, value);
  }

  /** The same status with a problem the driver hit (a spec it cannot run, an instance that will not start). */
  public RolloutStatus withProblem(String problem) {
    return new RolloutStatus(name, DEGRADED, currentStepIndex, stepCount, stableImage, canaryImage, canaryWeight,
        pauseConditions, aborted, message.isEmpty() ? problem : problem + "; " + message, stepAnalysis,
        backgroundAnalysis, updatedAt, endpoint, environment);
  }

  /** Why a rollout is paused, since when. */
  public record PauseCondition(String reason, Instant startTime) {
    public static final String CANARY_PAUSE_STEP = "CanaryPauseStep";
    public static final String INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysis";
  }
}
