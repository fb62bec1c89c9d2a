package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release writer against JGit's smart HTTP server with basic auth. */
class ReleaseWriterHttpIT {
  @TempDir
  Path folder;
  private Path bare;
  private GitHttpServer server;

  @BeforeEach
  void serveAnEmptyRepository() throws Exception {
    bare = folder.resolve("gitops.git");
    org.eclipse.jgit.api.Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call()
        .close();
    server = GitHttpServer.serve(bare);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void initAndReleaseOverHttpWithBasicAuth() throws Exception {
    GitRemote remote = GitRemote.of(server.url(), "main", GitCredentials.basic(GitHttpServer.USER,
        GitHttpServer.PASSWORD));

    ReleaseCommit init = new GitOpsInitializer(Clock.systemUTC(), e -> { }).init(remote, GitOpsTemplate.bundled(),
        GitFixtures.PIPELINE);
    ReleaseCommit release = GitFixtures.writer(remote, e -> { }).release(GitFixtures.release("clicks", 1,
        "staging"));

    assertThat(init.created()).isTrue();
    assertThat(release.created()).isTrue();
    assertThat(GitFixtures.head(bare)).isEqualTo(release.sha());
    assertThat(GitFixtures.read(bare, "argocd/applicationset.yaml")).contains("repoURL: " + server.url());
  }

  @Test
  void aTokenFromTheEnvironmentIsSentAsThePassword() throws Exception {
    GitCredentials fromEnvironment = GitCredentials.fromEnvironment(Map.of("MODELSHIP_GIT_USERNAME",
        GitHttpServer.USER, "MODELSHIP_GIT_TOKEN", GitHttpServer.PASSWORD));
    GitRemote remote = GitRemote.of(server.url(), "main", fromEnvironment);
    new GitOpsInitializer(Clock.systemUTC(), e -> { }).init(remote, GitOpsTemplate.bundled(), GitFixtures.PIPELINE);

    assertThat(GitFixtures.writer(remote, e -> { }).release(GitFixtures.release("clicks", 1, "staging")).created())
        .isTrue();
    assertThat(fromEnvironment.toString()).doesNotContain(GitHttpServer.PASSWORD);
  }

  @Test
  void credentialsInTheUrlAreMovedOutOfItAndNeverWrittenDown() throws Exception {
    String withCredentials = server.url().replace("http://", "http://" + GitHttpServer.USER + ":"
        + GitHttpServer.PASSWORD + "@");
    GitRemote remote = GitRemote.of(withCredentials, "main", GitCredentials.none());
    List<GitOpsEvent> events = new CopyOnWriteArrayList<>();

    new GitOpsInitializer(Clock.systemUTC(), events::add).init(remote, GitOpsTemplate.bundled(),
        GitFixtures.PIPELINE);
    GitFixtures.writer(remote, events::add).release(GitFixtures.release("clicks", 1, "staging"));

    assertThat(remote.url()).isEqualTo(server.url());
    assertThat(GitFixtures.read(bare, "argocd/applicationset.yaml")).doesNotContain(GitHttpServer.PASSWORD);
    assertThat(events).extracting(GitOpsEvent::describe).noneMatch(line -> line.contains(GitHttpServer.PASSWORD));
  }

  @Test
  void aWrongPasswordIsRefusedAndNotShown() throws Exception {
    String wrong = "wrong-secret-7f3a";
    GitRemote remote = GitRemote.of(server.url(), "main", GitCredentials.basic(GitHttpServer.USER, wrong));

    assertThatThrownBy(() -> GitFixtures.writer(remote, e -> { }).release(GitFixtures.release("clicks", 1,
        "staging"))).isInstanceOf(GitOpsException.class).satisfies(e -> {
          assertThat(((GitOpsException) e).kind()).isEqualTo(GitOpsException.Kind.UNAUTHORIZED);
          assertThat(e.getMessage()).contains("refused the credentials").doesNotContain(wrong);
        });
    assertThatThrownBy(() -> GitFixtures.writer(GitRemote.of(server.url(), "main", GitCredentials.none()),
        e -> { }).history("clicks", null)).isInstanceOf(GitOpsException.class)
        .extracting(e -> ((GitOpsException) e).kind()).isEqualTo(GitOpsException.Kind.UNAUTHORIZED);
  }

  @Test
  void concurrentReleasesOverHttpAllLand() throws Exception {
    GitRemote remote = GitRemote.of(server.url(), "main", GitCredentials.basic(GitHttpServer.USER,
        GitHttpServer.PASSWORD));
    new GitOpsInitializer(Clock.systemUTC(), e -> { }).init(remote, GitOpsTemplate.bundled(), GitFixtures.PIPELINE);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<ReleaseCommit>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ReleaseRequest request = GitFixtures.release("model-" + i, 1, "staging");
        results.add(threads.submit(() -> GitFixtures.writer(remote, e -> { }).release(request)));
      }
      for (Future<ReleaseCommit> result : results) {
        assertThat(result.get(2, TimeUnit.MINUTES).created()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(ConcurrentReleasesIT.releasesByTarget(GitFixtures.log(bare))).containsOnlyKeys(
        "model-0:1@staging", "model-1:1@staging", "model-2:1@staging", "model-3:1@staging").allSatisfy(
        (target, count) -> assertThat(count).isEqualTo(1));
  }
}
