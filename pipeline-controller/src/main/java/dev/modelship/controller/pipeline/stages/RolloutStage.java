package dev.modelship.controller.pipeline.stages;

import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.gitops.ReleaseWriter;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.rollout.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the released image through its canary until it ends: promoted to stable (the run succeeds), aborted by
 * the analysis or a human (the run ends ABORTED with the reason; the rollback commit is the engine's), or replaced
 * in git by another release or a rollback before it finished (SUPERSEDED / ABORTED). It reports every change of
 * the rollout's step, weight and analysis as an event. Resumed after a restart, it reads where things stand
 * again, from the engine and from git.
 */
public final class RolloutStage implements Stage {
  /** Stage names are {@code rollout-<environment>}. */
  public static final String NAME = "rollout";
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final Function<String, Optional<RolloutStatus>> rollouts;
  private final ReleaseWriter writer;
  private final String environment;
  private final Clock clock;
  private final Duration poll;
  private final Duration deadline;

  /**
   * @param rollouts the current status of an app's rollout, if the engine runs it
   * @param deadline how long a rollout may take (pauses for a human included) before the run fails; the rollout
   *     itself goes on
   */
  public RolloutStage(Function<String, Optional<RolloutStatus>> rollouts, ReleaseWriter writer, String environment,
                      Clock clock, Duration poll, Duration deadline) {
    this.rollouts = rollouts;
    this.writer = writer;
    this.environment = environment;
    this.clock = clock;
    this.poll = poll;
    this.deadline = deadline;
  }

  @Override
  public String name() {
    return NAME + "-" + environment;
  }

  @Override
  public Result run(PipelineRun run, EventSink events) throws Exception {
    String image = run.value(BuildImageStage.NAME, BuildImageStage.IMAGE).orElseThrow(() ->
        new IllegalStateException("run " + run.id() + " has no built image to follow"));
    String digest = digest(image);
    String app = run.ref().name();
    Instant giveUpAt = clock.instant().plus(deadline);
    Instant nextGitCheck = Instant.MIN;
    String lastReported = null;
    boolean seenAsCanary = false;
    while (true) {
      Optional<RolloutStatus> current = rollouts.apply(app);
      if (current.isPresent()) {
        RolloutStatus status = current.get();
        boolean ours = digest.equals(digest(status.canaryImage()));
        seenAsCanary |= ours;
        String report = describe(status, ours, digest.equals(digest(status.stableImage())));
        if (report != null && !report.equals(lastReported)) {
          events.event(report);
          lastReported = report;
        }
        if (digest.equals(digest(status.stableImage())) && status.canaryImage() == null) {
          return Result.next(Map.of("stable", image), "promoted to stable in " + environment);
        }
        if (ours && status.aborted()) {
          return Result.end(PipelineRun.Outcome.ABORTED, Map.of(), "canary aborted: " + status.message());
        }
      }
      if (!clock.instant().isBefore(nextGitCheck)) {
        nextGitCheck = clock.instant().plusSeconds(5);
        Optional<Result> replaced = replacedInGit(run, digest, seenAsCanary);
        if (replaced.isPresent()) {
          return replaced.get();
        }
      }
      if (!clock.instant().isBefore(giveUpAt)) {
        throw new IllegalStateException(app + " did not finish its rollout in " + environment + " within "
            + span(deadline) + current.map(s -> " (" + s.phase() + ": " + s.message() + ")")
            .orElse(" (the engine does not run it)") + "; the rollout goes on: promote or abort it");
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /**
   * A newer event for the environment in git that is not this release: a rollback of it, or another release. Edits
   * (someone changing the overlay's replicas, say) set no image, so they neither replace the release nor hide an
   * event that did.
   */
  private Optional<Result> replacedInGit(PipelineRun run, String digest, boolean seenAsCanary) throws Exception {
    List<ReleaseEvent> history = writer.history(run.ref().name(), environment).stream()
        .filter(ReleaseEvent::setsImage).toList();
    if (history.isEmpty() || digest.equals(digest(history.get(0).image()))) {
      return Optional.empty();
    }
    ReleaseEvent newest = history.get(0);
    boolean released = history.stream().anyMatch(event -> digest.equals(digest(event.image())));
    if (!released) {
      return Optional.empty(); // our release commit is not visible yet
    }
    if (newest.action() == ReleaseEvent.Action.ROLLBACK) {
      return Optional.of(Result.end(PipelineRun.Outcome.ABORTED, Map.of(), "rolled back in git to version "
          + newest.version() + (newest.why() == null || newest.why().isBlank() ? "" : ": " + newest.why())));
    }
    return Optional.of(Result.end(PipelineRun.Outcome.SUPERSEDED, Map.of(), "replaced in git by "
        + newest.action().name().toLowerCase(java.util.Locale.ROOT) + " of version " + newest.version()
        + (seenAsCanary ? " while its canary ran" : " before its canary started")));
  }

  private static String describe(RolloutStatus status, boolean ours, boolean stable) {
    if (stable) {
      return null;
    }
    if (!ours) {
      return status.stableImage() == null ? null : "waiting for the engine to pick it up (" + status.phase() + ": "
          + status.message() + ")";
    }
    return status.phase() + " step " + status.currentStepIndex() + "/" + status.stepCount() + ", canary weight "
        + status.canaryWeight() + "%: " + status.message();
  }

  /** Minutes when the deadline is whole minutes, else seconds: a 30 s deadline is not "0 min". */
  static String span(Duration duration) {
    return duration.toSecondsPart() == 0 && duration.toMinutes() > 0 ? duration.toMinutes() + " min"
        : duration.toSeconds() + " s";
  }

  static String digest(String image) {
    if (image == null) {
      return null;
    }
    Matcher matcher = DIGEST.matcher(image);
    return matcher.find() ? matcher.group() : null;
  }
}
