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
 */
public record RolloutStatus(String name, String phase, int currentStepIndex, int stepCount, String stableImage,
                            String canaryImage, int canaryWeight, List<PauseCondition> pauseConditions,
                            boolean aborted, String message, Optional<AnalysisStatus> stepAnalysis,
                            Optional<AnalysisStatus> backgroundAnalysis, Instant updatedAt) {

  public static final String HEALTHY = "Healthy";
  public static final String PROGRESSING = "Progressing";
  public static final String PAUSED = "Paused";
  public static final String DEGRADED = "Degraded";

  public RolloutStatus {
    pauseConditions = List.copyOf(pauseConditions);
  }

  /** Why a rollout is paused, since when. */
  public record PauseCondition(String reason, Instant startTime) {
    public static final String CANARY_PAUSE_STEP = "CanaryPauseStep";
    public static final String INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysis";
  }
}
