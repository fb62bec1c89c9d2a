package dev.modelship.controller.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the GitOps repository is and who writes to it: the options every GitOps command takes. */
final class GitOpsOptions {
  @Option(names = "--repo", paramLabel = "URL", description = "The GitOps repository: a path, file://, https:// or "
      + "ssh:// URL (default: $MODELSHIP_GITOPS_REPO, else $MODELSHIP_HOME/gitops.git). HTTP(S) credentials come "
      + "from $MODELSHIP_GIT_TOKEN or $MODELSHIP_GIT_USERNAME/$MODELSHIP_GIT_PASSWORD, never from options.")
  String repo;

  @Option(names = "--branch", defaultValue = "main", description = "Branch Argo CD syncs (default ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "Private key for ssh:// (no passphrase; default "
      + "$MODELSHIP_GIT_SSH_KEY, else ~/.ssh/id_*).")
  Path sshKey;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts for ssh:// (default "
      + "$MODELSHIP_GIT_SSH_KNOWN_HOSTS, else ~/.ssh/known_hosts); unknown hosts are refused.")
  Path knownHosts;

  @Option(names = "--author", paramLabel = "'NAME <EMAIL>'", description = "Commit author (default "
      + "$MODELSHIP_GIT_AUTHOR, else Modelship <modelship@localhost>).")
  String author;

  @Option(names = "--run", paramLabel = "ID", description = "The pipeline run asking, recorded as the Modelship-Run "
      + "trailer (default $MODELSHIP_RUN_ID, else manual).")
  String run;
}
