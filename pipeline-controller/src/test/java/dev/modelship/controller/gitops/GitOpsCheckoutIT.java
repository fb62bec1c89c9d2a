package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local engine's view of the GitOps branch, against real bare repositories over file://. */
class GitOpsCheckoutIT {
  @TempDir
  Path folder;
  private Path bare;
  private Path checkouts;

  @FunctionalInterface
  interface Edit {
    void apply(Path workingTree) throws IOException;
  }

  @BeforeEach
  void initialiseTheRepository() throws Exception {
    bare = GitFixtures.initialisedRepository(folder);
    checkouts = folder.resolve("checkouts");
  }

  @Test
  void firstRefreshWritesTheHeadsTreeIntoAFolderNamedByItsSha() throws Exception {
    try (GitOpsCheckout checkout = new GitOpsCheckout(GitFixtures.local(bare), checkouts)) {
      GitOpsCheckout.Checkout written = checkout.refresh().orElseThrow();

      assertThat(written.commit()).isEqualTo(GitFixtures.head(bare));
      assertThat(written.root()).isEqualTo(checkouts.resolve(GitFixtures.head(bare)));
      assertThat(Files.readString(written.root().resolve("argocd/applicationset.yaml")))
          .isEqualTo(GitFixtures.read(bare, "argocd/applicationset.yaml"));
      assertThat(Files.readString(written.root().resolve(RepoLayout.APP_TEMPLATE + "base/rollout.yaml")))
          .isEqualTo(GitFixtures.read(bare, RepoLayout.APP_TEMPLATE + "base/rollout.yaml"));
      assertThat(written.root().resolve(".git")).doesNotExist();
      assertThat(checkout.current()).contains(written);
      assertThat(entries(checkouts)).containsExactly(written.root());
    }
  }

  @Test
  void refreshWithoutANewCommitWritesNothing() throws Exception {
    try (GitOpsCheckout checkout = new GitOpsCheckout(GitFixtures.local(bare), checkouts)) {
      GitOpsCheckout.Checkout first = checkout.refresh().orElseThrow();
      Path marker = Files.writeString(first.root().resolve("written-by-the-test"), "kept");

      assertThat(checkout.refresh()).isEmpty();
      assertThat(checkout.current()).contains(first);
      assertThat(marker).as("the folder was not rewritten").hasContent("kept");
    }
  }

  @Test
  void aNewCommitGetsANewFolderAndTheOldOneIsRemoved() throws Exception {
    try (GitOpsCheckout checkout = new GitOpsCheckout(GitFixtures.local(bare), checkouts)) {
      GitOpsCheckout.Checkout first = checkout.refresh().orElseThrow();
      commit(tree -> {
        Files.writeString(tree.resolve("apps/notes.md"), "second commit\n");
        Files.delete(tree.resolve("README.md"));
      }, "second");

      GitOpsCheckout.Checkout second = checkout.refresh().orElseThrow();

      assertThat(second.commit()).isEqualTo(GitFixtures.head(bare)).isNotEqualTo(first.commit());
      assertThat(second.root()).isEqualTo(checkouts.resolve(second.commit()));
      assertThat(second.root().resolve("apps/notes.md")).hasContent("second commit");
      assertThat(second.root().resolve("README.md")).as("deleted in git").doesNotExist();
      assertThat(first.root()).doesNotExist();
      assertThat(entries(checkouts)).containsExactly(second.root());
      assertThat(checkout.current()).contains(second);
    }
  }

  @Test
  void aBranchThatDoesNotExistIsNotFoundAndSaysHowToCreateIt() throws Exception {
    GitRemote remote = GitRemote.of(bare.toString(), "release", GitCredentials.none());
    try (GitOpsCheckout checkout = new GitOpsCheckout(remote, checkouts)) {
      assertThatThrownBy(checkout::refresh).isInstanceOfSatisfying(GitOpsException.class,
          e -> assertThat(e.kind()).isEqualTo(GitOpsException.Kind.NOT_FOUND))
          .hasMessageContaining("branch release does not exist in " + remote.url())
          .hasMessageContaining("modelship gitops init");
      assertThat(checkout.current()).isEmpty();
      assertThat(checkouts).doesNotExist();
    }
  }

  @Test
  void aRemoteThatIsNotThereIsAnErrorNamingIt() throws Exception {
    GitRemote missing = GitFixtures.local(folder.resolve("nowhere.git"));
    try (GitOpsCheckout checkout = new GitOpsCheckout(missing, checkouts)) {
      assertThatThrownBy(checkout::refresh).isInstanceOf(GitOpsException.class)
          .hasMessageContaining(missing.url());
      assertThat(checkout.current()).isEmpty();
    }
  }

  @Test
  void aServerThatDoesNotAnswerIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    GitRemote remote = GitRemote.of("http://127.0.0.1:" + closedPort + "/gitops.git", "main",
        GitCredentials.none());
    try (GitOpsCheckout checkout = new GitOpsCheckout(remote, checkouts)) {
      assertThatThrownBy(checkout::refresh).isInstanceOfSatisfying(GitOpsException.class,
          e -> assertThat(e.kind()).isEqualTo(GitOpsException.Kind.UNAVAILABLE))
          .hasMessageContaining("cannot fetch from " + remote.url());
    }
  }

  @Test
  void aRemoteThatGoesAwayKeepsTheLastCheckout() throws Exception {
    try (GitOpsCheckout checkout = new GitOpsCheckout(GitFixtures.local(bare), checkouts)) {
      GitOpsCheckout.Checkout first = checkout.refresh().orElseThrow();
      Files.move(bare, folder.resolve("moved.git"));

      assertThatThrownBy(checkout::refresh).isInstanceOf(GitOpsException.class);
      assertThat(checkout.current()).contains(first);
      assertThat(first.root().resolve("README.md")).exists();
    }
  }

  @Test
  void aSymbolicLinkInsideTheCheckoutIsWrittenAsALink() throws Exception {
    commit(tree -> {
      Files.createDirectories(tree.resolve("apps/shared"));
      Files.writeString(tree.resolve("apps/shared/labels.yaml"), "team: ml\n");
      Files.createSymbolicLink(tree.resolve("apps/labels.yaml"), Path.of("shared/labels.yaml"));
    }, "a link to a shared file");

    try (GitOpsCheckout checkout = new GitOpsCheckout(GitFixtures.local(bare), checkouts)) {
      Path root = checkout.refresh().orElseThrow().root();

      Path link = root.resolve("apps/labels.yaml");
      assertThat(Files.isSymbolicLink(link)).isTrue();
      assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("shared/labels.yaml"));
      assertThat(link).hasContent("team: ml");
    }
  }

  @Test
  void aSymbolicLinkOutOfTheCheckoutIsRefused() throws Exception {
    Path secret = Files.writeString(folder.resolve("secret.txt"), "not for kustomize");
    commit(tree -> Files.createSymbolicLink(tree.resolve("apps/escape.yaml"), Path.of("../../../secret.txt")),
        "a link out of the repository");

    assertRefusedWithoutLeftovers("apps/escape.yaml", secret);
  }

  @Test
  void anAbsoluteSymbolicLinkIsRefused() throws Exception {
    Path secret = Files.writeString(folder.resolve("secret.txt"), "not for kustomize");
    commit(tree -> Files.createSymbolicLink(tree.resolve("apps/escape.yaml"), secret), "an absolute link");

    assertRefusedWithoutLeftovers("apps/escape.yaml", secret);
  }

  /**
   * Each link on its own stays inside when read as text ({@code apps/up -> ..}, {@code apps/escape ->
   * up/../..}), but the file system follows {@code up} first, so {@code escape} ends outside the checkout.
   */
  @Test
  void aSymbolicLinkThatLeavesThroughAnotherLinkIsRefused() throws Exception {
    Path secret = Files.writeString(folder.resolve("secret.txt"), "not for kustomize");
    commit(tree -> {
      Files.createSymbolicLink(tree.resolve("apps/up"), Path.of(".."));
      Files.createSymbolicLink(tree.resolve("apps/escape"), Path.of("up/../.."));
    }, "links that leave together");

    assertRefusedWithoutLeftovers("apps/escape", secret);
  }

  @Test
  void symbolicLinksThatPointAtEachOtherAreRefused() throws Exception {
    commit(tree -> {
      Files.createSymbolicLink(tree.resolve("apps/ping"), Path.of("pong"));
      Files.createSymbolicLink(tree.resolve("apps/pong"), Path.of("ping"));
    }, "a loop");

    try (GitOpsCheckout checkout = new GitOpsCheckout(GitFixtures.local(bare), checkouts)) {
      assertThatThrownBy(checkout::refresh).isInstanceOf(GitOpsException.class)
          .hasMessageContaining("symbolic link apps/p").hasMessageContaining("cannot be resolved");
      assertThat(entries(checkouts)).isEmpty();
    }
  }

  private void assertRefusedWithoutLeftovers(String link, Path secret) throws Exception {
    try (GitOpsCheckout checkout = new GitOpsCheckout(GitFixtures.local(bare), checkouts)) {
      assertThatThrownBy(checkout::refresh).isInstanceOf(GitOpsException.class)
          .hasMessageContaining("symbolic link " + link).hasMessageContaining("leaves the checkout");
      assertThat(checkout.current()).isEmpty();
      assertThat(entries(checkouts)).as("no half-written tree is left behind").isEmpty();
    }
    assertThat(secret).hasContent("not for kustomize");
  }

  /** A person's commit: clone, change the working tree, commit everything, push. */
  private void commit(Edit edit, String message) throws Exception {
    Path clone = Files.createTempDirectory(folder, "clone");
    try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(clone.toFile()).call()) {
      edit.apply(clone);
      git.add().addFilepattern(".").call();
      git.add().setUpdate(true).addFilepattern(".").call();
      git.commit().setAuthor("Jane Doe", "jane@team.test").setCommitter("Jane Doe", "jane@team.test")
          .setMessage(message).call();
      git.push().call().forEach(result -> result.getRemoteUpdates().forEach(update ->
          assertThat(update.getStatus()).isEqualTo(RemoteRefUpdate.Status.OK)));
    }
  }

  private static List<Path> entries(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      return children.toList();
    }
  }
}
