package dev.modelship.controller.gitops;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The GitOps stage of the pipeline: writes releases, promotions and rollbacks as commits on the GitOps branch.
 * Each call fetches the branch into memory, changes one overlay (scaffolding the app the first time), commits and
 * pushes; a push that loses a race is rebuilt on the new head and retried with a bounded, jittered backoff.
 * Idempotent: when the overlay already pins the image and version, nothing is committed and the head is returned.
 */
public final class ReleaseWriter {
  private final GitRemote remote;
  private final CommitLoop loop;

  public ReleaseWriter(GitRemote remote, Clock clock, Backoff backoff, Consumer<GitOpsEvent> events) {
    this(remote, new CommitLoop(backoff, duration -> Thread.sleep(duration.toMillis()), clock, events));
  }

  ReleaseWriter(GitRemote remote, CommitLoop loop) {
    this.remote = remote;
    this.loop = loop;
  }

  public static ReleaseWriter create(GitRemote remote, Consumer<GitOpsEvent> events) {
    return new ReleaseWriter(remote, Clock.systemUTC(), Backoff.standard(), events);
  }

  public ReleaseCommit release(ReleaseRequest request) throws GitOpsException {
    OverlayChange change = new OverlayChange(request.version().name(), request.environment(), request.image(),
        request.version().versionText(), (previous, scaffolded) -> CommitMessages.release(request, previous,
        scaffolded));
    return loop.run(remote, change, request.author());
  }

  /** Releases to {@code to} what {@code from} pins when the call starts. */
  public ReleaseCommit promote(PromotionRequest request) throws GitOpsException {
    return loop.run(remote, new Deferred(snapshot -> {
      OverlayChange.requireBranch(snapshot);
      OverlayState source = OverlayState.read(snapshot, request.model(), request.from())
          .orElseThrow(() -> new GitOpsException(GitOpsException.Kind.NOT_FOUND, request.model() + " has no "
              + request.from() + " overlay to promote from (" + RepoLayout.overlayFolder(request.model(),
              request.from()) + ")"));
      PinnedImage image = source.pinnedImage().orElseThrow(() -> new GitOpsException(GitOpsException.Kind.NOT_FOUND,
          "nothing is released to " + request.from() + " of " + request.model() + " yet"));
      List<ReleaseEvent> history = HistoryReader.read(snapshot, request.model(), request.from());
      String since = history.stream().filter(ReleaseEvent::setsImage).findFirst().map(ReleaseEvent::sha)
          .orElse(null);
      return new OverlayChange(request.model(), request.to(), image, source.version(), (previous, scaffolded) ->
          CommitMessages.promotion(request, source.version(), image, since, previous, scaffolded));
    }), request.author());
  }

  /** Restores an earlier release of the environment (see {@link RollbackRequest}), as a revert-style commit. */
  public ReleaseCommit rollback(RollbackRequest request) throws GitOpsException {
    return loop.run(remote, new Deferred(snapshot -> {
      OverlayChange.requireBranch(snapshot);
      OverlayState current = OverlayState.read(snapshot, request.model(), request.environment())
          .orElseThrow(() -> new GitOpsException(GitOpsException.Kind.NOT_FOUND, request.model() + " has no "
              + request.environment() + " overlay (" + RepoLayout.overlayFolder(request.model(),
              request.environment()) + ")"));
      RollbackTarget choice = RollbackTarget.choose(HistoryReader.read(snapshot, request.model(), null),
          request.environment(), current.version(), request.toVersion());
      ReleaseEvent target = choice.target();
      return new OverlayChange(request.model(), request.environment(), PinnedImage.parse(target.image()),
          target.version(), (previous, scaffolded) -> CommitMessages.rollback(request, target, previous,
          choice.revertedSha()));
    }), request.author());
  }

  /** The app's releases, promotions, rollbacks and other edits, newest first. */
  public List<ReleaseEvent> history(String model, String environment) throws GitOpsException {
    RepoLayout.requireAppName(model);
    if (environment != null) {
      RepoLayout.requireEnvironment(environment);
    }
    try (BranchClient client = new BranchClient(remote)) {
      RepoSnapshot snapshot = client.fetch();
      OverlayChange.requireBranch(snapshot);
      return HistoryReader.read(snapshot, model, environment);
    }
  }

  /** A change whose target is resolved from the branch on the first attempt and kept for the retries. */
  private static final class Deferred implements ChangePlanner {
    interface Resolver {
      OverlayChange resolve(RepoSnapshot snapshot) throws GitOpsException;
    }

    private final Resolver resolver;
    private OverlayChange change;

    Deferred(Resolver resolver) {
      this.resolver = resolver;
    }

    @Override
    public Plan plan(RepoSnapshot snapshot) throws GitOpsException {
      if (change == null) {
        change = resolver.resolve(snapshot);
      }
      return change.plan(snapshot);
    }
  }
}
