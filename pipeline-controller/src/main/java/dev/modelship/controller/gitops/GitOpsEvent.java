package dev.modelship.controller.gitops;

import java.time.Duration;

/** Progress of a GitOps write, for listeners (the CLI prints them; the pipeline turns them into its events). */
public sealed interface GitOpsEvent {
  /** The branch was fetched; {@code head} is null for a branch that does not exist yet. */
  record Fetched(String repository, String branch, String head) implements GitOpsEvent {
  }

  /** The branch moved between our fetch and our push: we wait, then rebuild the change on the new head. */
  record Retrying(int attempt, Duration delay) implements GitOpsEvent {
  }

  record Pushed(String sha, String subject) implements GitOpsEvent {
  }

  /** Nothing to commit: the branch already says what was asked. */
  record AlreadyThere(String sha, String reason) implements GitOpsEvent {
  }

  /** One line for people. */
  default String describe() {
    if (this instanceof Fetched fetched) {
      return "fetched " + fetched.repository() + " " + fetched.branch() + (fetched.head() == null
          ? " (no such branch yet)" : " at " + fetched.head().substring(0, 12));
    }
    if (this instanceof Retrying retrying) {
      return "the branch moved before our push (attempt " + retrying.attempt() + "); rebuilding the commit on the "
          + "new head in " + retrying.delay().toMillis() + " ms";
    }
    if (this instanceof Pushed pushed) {
      return "pushed " + pushed.sha().substring(0, 12) + " " + pushed.subject();
    }
    AlreadyThere there = (AlreadyThere) this;
    return "nothing to commit: " + there.reason();
  }
}
