package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release writer over SSH (JGit's Apache MINA client) with a private key and strict host checking. */
class ReleaseWriterSshIT {
  @TempDir
  Path folder;
  private Path bare;
  private GitSshServer server;

  @BeforeEach
  void serve() throws Exception {
    bare = folder.resolve("gitops.git");
    org.eclipse.jgit.api.Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call()
        .close();
    server = GitSshServer.serve(bare);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void initReleaseAndHistoryOverSshWithAKey() throws Exception {
    Path knownHosts = folder.resolve("known_hosts");
    Path key = server.writeClientFiles(folder, knownHosts);
    GitRemote remote = GitRemote.of(server.url(), "main", GitCredentials.none().withSshKey(key, knownHosts));

    new GitOpsInitializer(Clock.systemUTC(), e -> { }).init(remote, GitOpsTemplate.bundled(), GitFixtures.PIPELINE);
    ReleaseCommit release = GitFixtures.writer(remote, e -> { }).release(GitFixtures.release("clicks", 1,
        "staging"));

    assertThat(release.created()).isTrue();
    assertThat(GitFixtures.head(bare)).isEqualTo(release.sha());
    assertThat(GitFixtures.writer(remote, e -> { }).history("clicks", "staging")).hasSize(1);
  }

  @Test
  void anUnknownHostKeyIsRefused() throws Exception {
    Path knownHosts = folder.resolve("known_hosts");
    Path key = server.writeClientFiles(folder, knownHosts);
    Files.writeString(knownHosts, "");
    GitRemote remote = GitRemote.of(server.url(), "main", GitCredentials.none().withSshKey(key, knownHosts));

    assertThatThrownBy(() -> GitFixtures.writer(remote, e -> { }).history("clicks", null))
        .isInstanceOf(GitOpsException.class).hasMessageContaining(server.url()).hasMessageContaining("SSH host key is not in the known_hosts file");
  }

  @Test
  void aKeyTheServerDoesNotKnowIsRefused() throws Exception {
    Path knownHosts = folder.resolve("known_hosts");
    server.writeClientFiles(folder, knownHosts);
    Path otherFolder = Files.createDirectories(folder.resolve("other"));
    Path otherKey;
    try (GitSshServer other = GitSshServer.serve(bare)) {
      otherKey = other.writeClientFiles(otherFolder, otherFolder.resolve("ignored"));
    }
    GitRemote remote = GitRemote.of(server.url(), "main", GitCredentials.none().withSshKey(otherKey, knownHosts));

    assertThatThrownBy(() -> GitFixtures.writer(remote, e -> { }).history("clicks", null))
        .isInstanceOf(GitOpsException.class).satisfies(e -> assertThat(((GitOpsException) e).kind())
            .as(e.getMessage()).isEqualTo(GitOpsException.Kind.UNAUTHORIZED));
  }
}
