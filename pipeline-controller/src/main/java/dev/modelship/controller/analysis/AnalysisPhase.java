package dev.modelship.controller.analysis;

/** Argo Rollouts' analysis phases, for measurements, metrics and whole runs. */
public enum AnalysisPhase {
  PENDING, RUNNING, SUCCESSFUL, INCONCLUSIVE, ERROR, FAILED;

  /** How bad a finished phase is, for combining metrics: failed beats error beats inconclusive beats successful. */
  int severity() {
    switch (this) {
      case FAILED: return 4;
      case ERROR: return 3;
      case INCONCLUSIVE: return 2;
      case SUCCESSFUL: return 1;
      default: return 0;
    }
  }

  public boolean completed() {
    return this != PENDING && this != RUNNING;
  }

  /** Argo's spelling, e.g. {@code Successful}. */
  public String argoName() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
