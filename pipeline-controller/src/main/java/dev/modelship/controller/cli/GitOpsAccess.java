package dev.modelship.controller.cli;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.gitops.GitAuthor;
import dev.modelship.controller.gitops.GitCredentials;
import dev.modelship.controller.gitops.GitOpsEvent;
import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.GitRemote;
import dev.modelship.controller.gitops.ReleaseWriter;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The GitOps repository as the gitops, release, promote-env, rollback and history commands reach it, from their
 * options and the environment (credentials only ever from the environment).
 */
final class GitOpsAccess {
  static final String REPO_ENV = "MODELSHIP_GITOPS_REPO";
  static final String RUN_ENV = "MODELSHIP_RUN_ID";

  private final Map<String, String> env;
  private final ModelshipHome home;

  GitOpsAccess(Map<String, String> env, ModelshipHome home) {
    this.env = Map.copyOf(env);
    this.home = home;
  }

  static GitOpsAccess fromEnvironment() {
    return new GitOpsAccess(System.getenv(), ModelshipHome.fromEnvironment());
  }

  ModelshipHome home() {
    return home;
  }

  GitRemote remote(GitOpsOptions options) {
    String url = options.repo;
    if (url == null || url.isBlank()) {
      url = env.get(REPO_ENV);
    }
    if (url == null || url.isBlank()) {
      url = home.root().resolve("gitops.git").toString();
    }
    GitCredentials credentials = GitCredentials.fromEnvironment(env);
    if (options.sshKey != null || options.knownHosts != null) {
      credentials = credentials.withSshKey(options.sshKey, options.knownHosts);
    }
    return GitRemote.of(url, options.branch, credentials);
  }

  GitAuthor author(GitOpsOptions options) {
    return options.author == null ? GitAuthor.fromEnvironment(env) : GitAuthor.parse(options.author);
  }

  String run(GitOpsOptions options) {
    if (options.run != null) {
      return options.run;
    }
    String fromEnvironment = env.get(RUN_ENV);
    return fromEnvironment == null || fromEnvironment.isBlank() ? "manual" : fromEnvironment;
  }

  ReleaseWriter writer(GitOpsOptions options, PrintWriter err) {
    return ReleaseWriter.create(remote(options), progress(err));
  }

  /** Retries and no-ops are worth a line; fetches and pushes are summed up by the command's own output. */
  static Consumer<GitOpsEvent> progress(PrintWriter err) {
    return event -> {
      if (event instanceof GitOpsEvent.Retrying || event instanceof GitOpsEvent.AlreadyThere) {
        err.println(event.describe());
        err.flush();
      }
    };
  }

  /** 1 for a conflict (someone else changed the same thing: look, then rerun), 2 for every other failure. */
  static int exitCode(GitOpsException e) {
    return e.kind() == GitOpsException.Kind.CONFLICT ? 1 : 2;
  }
}
