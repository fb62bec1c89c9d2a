package dev.modelship.controller.gitops;

/**
 * A GitOps operation that did not happen: nothing was pushed, the repository is as it was. Messages never carry
 * credentials.
 */
public class GitOpsException extends Exception {
  /** What kind of failure, so callers (CLI exit codes, the pipeline) can tell them apart. */
  public enum Kind {
    /** The request is wrong (bad name, bad image reference, unknown environment); retrying will not help. */
    INVALID,
    /** The repository has no such branch, app, environment or version. */
    NOT_FOUND,
    /** Someone else changed the same thing at the same time; the caller decides whether to retry. */
    CONFLICT,
    /** A file the writer edits is not in a shape it can edit safely. */
    UNEDITABLE,
    /** The remote refused our credentials. */
    UNAUTHORIZED,
    /** The remote cannot be reached or failed; retrying later may help. */
    UNAVAILABLE
  }

  private final Kind kind;

  public GitOpsException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public GitOpsException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
