package dev.modelship.controller.gitops;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Fetch, plan, commit, push; when the push loses a race, wait (bounded, jittered) and do it again on the new head.
 * Rebuilding the change on the new head is the rebase: other writers' commits, human edits included, stay below
 * ours untouched.
 */
final class CommitLoop {
  /** Waits between attempts; the real one sleeps. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Consumer<GitOpsEvent> events;

  CommitLoop(Backoff backoff, Sleeper sleeper, Clock clock, Consumer<GitOpsEvent> events) {
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.clock = clock;
    this.events = events;
  }

  ReleaseCommit run(GitRemote remote, ChangePlanner planner, GitAuthor author) throws GitOpsException {
    try (BranchClient client = new BranchClient(remote)) {
      for (int attempt = 1; ; attempt++) {
        RepoSnapshot snapshot = client.fetch();
        events.accept(new GitOpsEvent.Fetched(remote.url(), remote.branch(),
            snapshot.head().map(AnyObjectId::name).orElse(null)));
        Plan plan = planner.plan(snapshot);
        if (plan.isUnchanged()) {
          String head = snapshot.head().map(AnyObjectId::name).orElse(null);
          events.accept(new GitOpsEvent.AlreadyThere(head, plan.reason()));
          return new ReleaseCommit(remote.url(), head, false);
        }
        ObjectId commit = client.commit(snapshot, plan.files(), plan.message(), author.ident(clock));
        BranchClient.PushOutcome outcome = client.push(commit, snapshot.headOrZero());
        if (outcome == BranchClient.PushOutcome.PUSHED) {
          events.accept(new GitOpsEvent.Pushed(commit.name(), plan.message().lines().findFirst().orElse("")));
          return new ReleaseCommit(remote.url(), commit.name(), true);
        }
        if (outcome == BranchClient.PushOutcome.ALREADY_THERE) {
          events.accept(new GitOpsEvent.AlreadyThere(commit.name(), "another writer pushed the identical commit"));
          return new ReleaseCommit(remote.url(), commit.name(), false);
        }
        if (attempt >= backoff.maxAttempts()) {
          throw new GitOpsException(GitOpsException.Kind.CONFLICT, "gave up after " + attempt + " attempts: other "
              + "writers kept moving " + remote.branch() + " of " + remote.url() + " between our fetch and our push");
        }
        Duration wait = backoff.delay(attempt);
        events.accept(new GitOpsEvent.Retrying(attempt, wait));
        pause(wait);
      }
    }
  }

  private void pause(Duration wait) throws GitOpsException {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitOpsException(GitOpsException.Kind.UNAVAILABLE, "interrupted while waiting to retry the push");
    }
  }
}
