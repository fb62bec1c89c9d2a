package dev.modelship.controller.rollout.local;

import dev.modelship.controller.analysis.AnalysisDecision;
import dev.modelship.controller.analysis.AnalysisRun;
import dev.modelship.controller.analysis.AnalysisSpecException;
import dev.modelship.controller.analysis.AnalysisStatus;
import dev.modelship.controller.rollout.CanaryStep;
import dev.modelship.controller.rollout.RolloutSpec;
import dev.modelship.controller.rollout.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app's rollout on this machine, doing what Argo Rollouts does in a cluster: the first release goes straight
 * to stable; a new image starts canary instances and walks the canary steps (setWeight, pause, analysis,
 * background analysis); the last step promotes (canary becomes stable, the old stable is drained and stopped);
 * a failed analysis or a human aborts (all traffic to stable, canary stopped after the abort delay, a rollback
 * commit in git). {@link #reconcile} is called with the latest desired spec, again and again.
 */
public final class LocalRollout implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalRollout.class);
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final String name;
  private final InstanceLauncher launcher;
  private final WeightedRouter router;
  private final AnalysisRunFactory analyses;
  private final RollbackWriter rollback;
  private final Clock clock;
  private InstanceGroup stable;
  private InstanceGroup canary;
  private int stepIndex;
  private int canaryWeight;
  private Instant pausedSince;
  private String pauseReason;
  private AnalysisRun stepRun;
  private AnalysisRun backgroundRun;
  private String abortedImage;
  private RolloutSpec abortedSpec;
  private String rollbackPending;
  private Instant scaleDownAt;
  private String message = "";
  private int runs;

  public LocalRollout(String name, InstanceLauncher launcher, WeightedRouter router, AnalysisRunFactory analyses,
                      RollbackWriter rollback, Clock clock) {
    this.name = name;
    this.launcher = launcher;
    this.router = router;
    this.analyses = analyses;
    this.rollback = rollback;
    this.clock = clock;
  }

  /** Moves the rollout towards {@code desired} as far as it can now, and returns where it stands. */
  public synchronized RolloutStatus reconcile(RolloutSpec desired) throws Exception {
    if (stable == null) {
      stable = InstanceGroup.start(launcher, desired, "stable");
      router.update(TrafficSplit.stableOnly(stable.backends()));
      message = "first release " + desired.image() + " is stable";
      LOG.info("{}: {}", name, message);
      return status();
    }
    scaleDownAbortedCanary();
    if (desired.image().equals(stable.image())) {
      if (canary != null) {
        stopCanary("desired image is the stable one again");
      }
      abortedImage = null;
      abortedSpec = null;
      rollbackPending = null;
      return status();
    }
    if (desired.image().equals(abortedImage)) {
      writeRollback(); // a failed rollback commit is tried again; then wait for git to change the desired image
      return status();
    }
    if (canary == null || !canary.image().equals(desired.image())) {
      startCanary(desired);
    }
    advance(desired);
    return status();
  }

  /** Skips the current pause (or inconclusive analysis); with {@code full}, skips every remaining step. */
  public synchronized RolloutStatus promote(boolean full, RolloutSpec desired) throws Exception {
    if (canary == null) {
      throw new IllegalStateException(name + " has no canary to promote");
    }
    if (full) {
      stepIndex = canary.spec().steps().size();
    } else if (pausedSince != null) {
      stepIndex++;
    } else {
      throw new IllegalStateException(name + " is not paused; use --full to promote fully");
    }
    clearPause();
    stepRun = null;
    advance(desired);
    return status();
  }

  /** Aborts the canary: all traffic to stable, canary scaled down after the abort delay, a rollback commit. */
  public synchronized RolloutStatus abort(String reason) throws Exception {
    if (canary == null) {
      throw new IllegalStateException(name + " has no canary to abort");
    }
    abortCanary("aborted by a human: " + reason);
    return status();
  }

  private void startCanary(RolloutSpec desired) throws Exception {
    if (canary != null) {
      stopCanary("superseded by " + desired.image());
    }
    canary = InstanceGroup.start(launcher, desired, "canary");
    stepIndex = 0;
    canaryWeight = 0;
    clearPause();
    stepRun = null;
    backgroundRun = null;
    abortedImage = null;
    abortedSpec = null;
    rollbackPending = null;
    router.update(new TrafficSplit(stable.backends(), canary.backends(), 0));
    message = "canary " + desired.image() + " started";
    LOG.info("{}: {}", name, message);
  }

  private void advance(RolloutSpec desired) throws Exception {
    List<CanaryStep> steps = canary.spec().steps();
    while (canary != null && stepIndex < steps.size()) {
      if (checkBackground()) {
        return;
      }
      CanaryStep step = steps.get(stepIndex);
      if (step instanceof CanaryStep.SetWeight setWeight) {
        canaryWeight = setWeight.weight();
        router.update(new TrafficSplit(stable.backends(), canary.backends(), canaryWeight));
        message = "step " + (stepIndex + 1) + "/" + steps.size() + ": canary weight " + canaryWeight + "%";
        stepIndex++;
      } else if (step instanceof CanaryStep.Pause pause) {
        if (!pauseDone(pause)) {
          return;
        }
        stepIndex++;
      } else if (!analysisDone((CanaryStep.Analysis) step)) {
        return;
      } else {
        stepIndex++;
      }
    }
    if (canary != null && !checkBackground()) {
      promoteCanary();
    }
  }

  private boolean pauseDone(CanaryStep.Pause pause) {
    Instant now = clock.instant();
    if (pausedSince == null) {
      pausedSince = now;
      pauseReason = RolloutStatus.PauseCondition.CANARY_PAUSE_STEP;
    }
    if (pause.duration().isPresent() && !now.isBefore(pausedSince.plus(pause.duration().get()))) {
      clearPause();
      return true;
    }
    message = "step " + (stepIndex + 1) + ": paused" + pause.duration().map(d -> " for " + d.toSeconds() + " s")
        .orElse(" until promoted");
    return false;
  }

  private boolean analysisDone(CanaryStep.Analysis step) throws Exception {
    if (pausedSince != null) {
      return false; // inconclusive analysis: waiting for a human
    }
    if (stepRun == null) {
      stepRun = analyses.create(name + "-step" + (stepIndex + 1) + "-" + (++runs), step.templates(), args(step));
    }
    AnalysisStatus status = stepRun.reconcile();
    switch (status.decision().action()) {
      case PROMOTE:
        message = "step " + (stepIndex + 1) + ": analysis passed";
        stepRun = null;
        return true;
      case ABORT:
        abortCanary(status.decision().explanation());
        return false;
      case PAUSE:
        pausedSince = clock.instant();
        pauseReason = RolloutStatus.PauseCondition.INCONCLUSIVE_ANALYSIS;
        message = status.decision().explanation();
        return false;
      default:
        message = "step " + (stepIndex + 1) + ": analysing";
        return false;
    }
  }

  /** True when the background analysis has just aborted the canary. */
  private boolean checkBackground() throws Exception {
    Optional<CanaryStep.Analysis> background = canary.spec().background();
    if (background.isEmpty() || stepIndex < canary.spec().backgroundStartingStep()) {
      return false;
    }
    if (backgroundRun == null) {
      backgroundRun = analyses.create(name + "-background-" + (++runs), background.get().templates(),
          args(background.get()));
    }
    AnalysisStatus status = backgroundRun.reconcile();
    if (status.decision().action() == AnalysisDecision.Action.ABORT) {
      abortCanary("background analysis: " + status.decision().explanation());
      return true;
    }
    return false;
  }

  /**
   * The step's args resolved, plus {@code stable-version} (the stable's version label) unless the step sets it:
   * what the canary is compared with, as Argo's {@code podTemplateHashValue: Stable} would give.
   */
  private Map<String, String> args(CanaryStep.Analysis step) {
    Map<String, String> values = new LinkedHashMap<>();
    step.args().forEach((key, value) -> values.put(key, resolve(value)));
    String stableVersion = stable.spec().labels().get(VERSION_LABEL);
    if (stableVersion != null) {
      values.putIfAbsent(STABLE_VERSION_ARG, stableVersion);
    }
    return values;
  }

  /** The arg the engine adds to every analysis: the stable's version, for canary-vs-stable comparisons. */
  public static final String STABLE_VERSION_ARG = "stable-version";

  private String resolve(CanaryStep.ArgValue value) {
    if (value instanceof CanaryStep.ArgValue.Literal literal) {
      return literal.value();
    }
    if (value instanceof CanaryStep.ArgValue.CanaryLabel label) {
      return canary.spec().labels().getOrDefault(label.key(), "");
    }
    boolean ofStable = ((CanaryStep.ArgValue.PodTemplateHash) value).stable();
    return (ofStable ? stable : canary).spec().labels().getOrDefault(VERSION_LABEL, "");
  }

  /** The pod-template label holding the model version; the local engine's stand-in for a pod template hash. */
  public static final String VERSION_LABEL = "modelship.dev/version";

  private void promoteCanary() throws InterruptedException {
    InstanceGroup oldStable = stable;
    stable = canary;
    canary = null;
    canaryWeight = 0;
    stepRun = null;
    backgroundRun = null;
    router.update(TrafficSplit.stableOnly(stable.backends()));
    oldStable.drainAndStop(router, DRAIN);
    message = "promoted " + stable.image() + " to stable";
    LOG.info("{}: {}", name, message);
  }

  private void abortCanary(String reason) throws Exception {
    abortedImage = canary.image();
    canaryWeight = 0;
    stepRun = null;
    backgroundRun = null;
    clearPause();
    router.update(TrafficSplit.stableOnly(stable.backends()));
    scaleDownAt = clock.instant().plus(canary.spec().abortScaleDownDelay());
    message = "aborted " + abortedImage + ": " + reason;
    LOG.info("{}: {}", name, message);
    abortedSpec = canary.spec();
    rollbackPending = reason;
    writeRollback();
  }

  /** Commits the rollback of the aborted canary; a failure is kept in the message and tried again next time. */
  private void writeRollback() {
    if (rollbackPending == null) {
      return;
    }
    try {
      rollback.rollback(name, abortedSpec, stable.spec(), rollbackPending);
      rollbackPending = null;
    } catch (Exception e) {
      String why = "rollback commit failed, will retry: " + e.getMessage();
      LOG.warn("{}: {}", name, why);
      if (!message.contains(why)) {
        message = message.replaceAll(" \\(rollback commit failed.*$", "") + " (" + why + ")";
      }
    }
  }

  private void scaleDownAbortedCanary() throws InterruptedException {
    if (canary != null && abortedImage != null && !clock.instant().isBefore(scaleDownAt)) {
      InstanceGroup aborted = canary;
      canary = null;
      aborted.drainAndStop(router, DRAIN);
    }
  }

  private void stopCanary(String why) throws InterruptedException {
    InstanceGroup old = canary;
    canary = null;
    canaryWeight = 0;
    stepRun = null;
    backgroundRun = null;
    clearPause();
    router.update(TrafficSplit.stableOnly(stable.backends()));
    old.drainAndStop(router, DRAIN);
    message = "canary " + old.image() + " stopped: " + why;
  }

  private void clearPause() {
    pausedSince = null;
    pauseReason = null;
  }

  public synchronized RolloutStatus status() {
    String phase = abortedImage != null ? RolloutStatus.DEGRADED : pausedSince != null ? RolloutStatus.PAUSED
        : canary != null ? RolloutStatus.PROGRESSING : RolloutStatus.HEALTHY;
    List<RolloutStatus.PauseCondition> conditions = new ArrayList<>();
    if (pausedSince != null) {
      conditions.add(new RolloutStatus.PauseCondition(pauseReason, pausedSince));
    }
    int stepCount = canary != null ? canary.spec().steps().size() : stable == null ? 0 : stable.spec().steps().size();
    return new RolloutStatus(name, phase, canary != null ? stepIndex : stepCount, stepCount,
        stable == null ? null : stable.image(), canary == null ? null : canary.image(), canaryWeight, conditions,
        abortedImage != null, message, Optional.ofNullable(stepRun).map(AnalysisRun::status),
        Optional.ofNullable(backgroundRun).map(AnalysisRun::status), clock.instant(), null, null);
  }

  /** The {@code /metrics} URLs of the instances serving {@code model:version} (either role), for the scrape provider. */
  public synchronized List<java.net.URI> metricsTargets(String model, String version) {
    List<java.net.URI> targets = new ArrayList<>();
    for (InstanceGroup group : java.util.Arrays.asList(stable, canary)) {
      if (group != null && model.equals(group.spec().labels().get(MODEL_LABEL))
          && version.equals(group.spec().labels().get(VERSION_LABEL))) {
        group.instances().forEach(instance -> targets.add(instance.metrics()));
      }
    }
    return targets;
  }

  /** The stable's labels (model, version), empty before the first release. */
  public synchronized Map<String, String> stableLabels() {
    return stable == null ? Map.of() : stable.spec().labels();
  }

  /** The pod-template label holding the model name. */
  public static final String MODEL_LABEL = "modelship.dev/model";

  /** The instances serving each role, for the scrape provider: stable first. */
  public synchronized Map<String, List<Instance>> instances() {
    Map<String, List<Instance>> byRole = new LinkedHashMap<>();
    if (stable != null) {
      byRole.put("stable", stable.instances());
    }
    if (canary != null) {
      byRole.put("canary", canary.instances());
    }
    return byRole;
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (canary != null) {
      canary.drainAndStop(router, Duration.ofSeconds(5));
    }
    if (stable != null) {
      stable.drainAndStop(router, Duration.ofSeconds(5));
    }
  }
}
