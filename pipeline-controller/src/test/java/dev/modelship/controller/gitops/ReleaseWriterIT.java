package dev.modelship.controller.gitops;

import static dev.modelship.controller.gitops.GitFixtures.PIPELINE;
import static dev.modelship.controller.gitops.GitFixtures.image;
import static dev.modelship.controller.gitops.GitFixtures.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.validate.CheckResult;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.ValidationReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release writer against real bare repositories over file://. */
class ReleaseWriterIT {
  @TempDir
  Path folder;
  private Path bare;
  private final List<GitOpsEvent> events = new CopyOnWriteArrayList<>();
  private ReleaseWriter writer;

  @BeforeEach
  void initialiseTheRepository() throws Exception {
    bare = GitFixtures.initialisedRepository(folder);
    writer = GitFixtures.writer(GitFixtures.local(bare), events::add);
  }

  @Test
  void initIsIdempotentAndRefusesABranchThatHoldsSomethingElse() throws Exception {
    String head = GitFixtures.head(bare);
    GitOpsInitializer initializer = new GitOpsInitializer(Clock.systemUTC(), event -> { });

    ReleaseCommit again = initializer.init(GitFixtures.local(bare), GitOpsTemplate.bundled(), PIPELINE);

    assertThat(again).isEqualTo(new ReleaseCommit(GitFixtures.local(bare).url(), head, false));
    assertThat(GitFixtures.read(bare, "argocd/applicationset.yaml")).contains("repoURL: file://" + bare);
    Path other = folder.resolve("other.git");
    org.eclipse.jgit.api.Git.init().setBare(true).setInitialBranch("main").setDirectory(other.toFile()).call()
        .close();
    try (org.eclipse.jgit.api.Git unrelated = org.eclipse.jgit.api.Git.init().setInitialBranch("main")
        .setDirectory(folder.resolve("unrelated").toFile()).call()) {
      java.nio.file.Files.writeString(folder.resolve("unrelated/README.md"), "not gitops\n");
      unrelated.add().addFilepattern("README.md").call();
      unrelated.commit().setAuthor("Jane Doe", "jane@team.test").setMessage("unrelated").call();
      unrelated.push().setRemote(other.toUri().toString()).add("main").call();
    }
    assertThatThrownBy(() -> initializer.init(GitFixtures.local(other), GitOpsTemplate.bundled(), PIPELINE))
        .isInstanceOf(GitOpsException.class).hasMessageContaining("not a Modelship GitOps repository");
  }

  @Test
  void firstReleaseScaffoldsTheAppAndPinsTheImageByDigest() throws Exception {
    ValidationReport passed = new ValidationReport("clicks", "1", GitFixtures.digest("package"), null, null,
        Outcome.PASSED, List.of(CheckResult.passed("integrity", "the package is intact")), Map.of(), Map.of(),
        "2026-01-01T00:00:00Z");
    ReleaseRequest request = new ReleaseRequest(new ModelVersionRef("clicks", 1), image("clicks", 1), "staging",
        "run-42", passed, PIPELINE);

    ReleaseCommit commit = writer.release(request);

    assertThat(commit.created()).isTrue();
    assertThat(commit.sha()).isEqualTo(GitFixtures.head(bare));
    assertThat(GitFixtures.read(bare, "apps/clicks/base/rollout.yaml")).contains("name: clicks")
        .doesNotContain(RepoLayout.TEMPLATE_MODEL);
    assertThat(GitFixtures.read(bare, "apps/clicks/overlays/production/kustomization.yaml"))
        .as("only the released environment is scaffolded").isNull();
    assertThat(KustomizationImages.find(GitFixtures.read(bare, RepoLayout.kustomization("clicks", "staging")),
        RepoLayout.IMAGE_NAME)).contains(KustomizationImages.Entry.pinning(image("clicks", 1)));
    assertThat(ReleaseVersionFile.version(GitFixtures.read(bare, RepoLayout.releaseFile("clicks", "staging"))))
        .contains("1");
    RevCommit head = GitFixtures.log(bare).get(0);
    assertThat(head.getShortMessage()).isEqualTo("release(clicks): 1 to staging");
    assertThat(head.getFullMessage()).contains("Digest: " + image("clicks", 1).digest())
        .contains("Validation: clicks:1 (" + GitFixtures.digest("package") + "): PASSED")
        .contains("integrity").endsWith("Modelship-Action: release\nModelship-Model: clicks\nModelship-Version: 1\n"
            + "Modelship-Env: staging\nModelship-Image: " + image("clicks", 1) + "\nModelship-Run: run-42\n");
    assertThat(head.getAuthorIdent().getName()).isEqualTo(PIPELINE.name());
  }

  @Test
  void theReleasedOverlayRendersWithTheNewDigestAndVersion() throws Exception {
    writer.release(release("clicks", 1, "staging"));
    writer.release(release("clicks", 2, "staging"));

    Path checkout = GitFixtures.checkout(bare, folder);
    RenderedObjects app = RenderedObjects.parse(Kubectl.require().kustomize(checkout.resolve(
        "apps/clicks/overlays/staging")));

    assertThat(app.get("Rollout", "clicks").at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("127.0.0.1:5000/models/serving:clicks-2@" + image("clicks", 2).digest());
    assertThat(app.get("Rollout", "clicks").at("/metadata/labels").path("modelship.dev/version").asText())
        .isEqualTo("2");
  }

  @Test
  void rerunningAReleaseCommitsNothing() throws Exception {
    ReleaseCommit first = writer.release(release("clicks", 1, "staging"));
    int commits = GitFixtures.log(bare).size();

    ReleaseCommit again = writer.release(release("clicks", 1, "staging"));

    assertThat(again).isEqualTo(new ReleaseCommit(first.repository(), first.sha(), false));
    assertThat(GitFixtures.log(bare)).hasSize(commits);
    assertThat(events).anyMatch(event -> event instanceof GitOpsEvent.AlreadyThere);
  }

  @Test
  void aHumanCommitPushedWhileTheReleaseIsInFlightIsKept() throws Exception {
    writer.release(release("clicks", 1, "staging"));
    String overlay = RepoLayout.kustomization("clicks", "staging");
    AtomicBoolean interfered = new AtomicBoolean();
    ReleaseWriter racing = GitFixtures.writer(GitFixtures.local(bare), event -> {
      if (event instanceof GitOpsEvent.Fetched && interfered.compareAndSet(false, true)) {
        try {
          GitFixtures.humanCommit(bare, folder, overlay, text -> "# Reviewed by the platform team.\n" + text,
              "docs: note the review in the staging overlay");
          GitFixtures.humanCommit(bare, folder, "apps/clicks/base/pdb.yaml",
              text -> text.replace("maxUnavailable: 1", "maxUnavailable: 2"), "allow two pods down");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      events.add(event);
    });

    ReleaseCommit commit = racing.release(release("clicks", 2, "staging"));

    assertThat(commit.created()).isTrue();
    assertThat(events).anyMatch(event -> event instanceof GitOpsEvent.Retrying);
    assertThat(GitFixtures.read(bare, overlay)).startsWith("# Reviewed by the platform team.\n");
    assertThat(GitFixtures.read(bare, "apps/clicks/base/pdb.yaml")).contains("maxUnavailable: 2");
    assertThat(KustomizationImages.find(GitFixtures.read(bare, overlay), RepoLayout.IMAGE_NAME))
        .contains(KustomizationImages.Entry.pinning(image("clicks", 2)));
    assertThat(GitFixtures.log(bare)).extracting(RevCommit::getShortMessage).startsWith(
        "release(clicks): 2 to staging", "allow two pods down", "docs: note the review in the staging overlay");
  }

  @Test
  void anotherReleaseOfTheSameOverlayInFlightIsAConflictNotAnOverwrite() throws Exception {
    writer.release(release("clicks", 1, "staging"));
    AtomicBoolean interfered = new AtomicBoolean();
    ReleaseWriter racing = GitFixtures.writer(GitFixtures.local(bare), event -> {
      if (event instanceof GitOpsEvent.Fetched && interfered.compareAndSet(false, true)) {
        try {
          writer.release(release("clicks", 3, "staging"));
        } catch (GitOpsException e) {
          throw new IllegalStateException(e);
        }
      }
    });

    assertThatThrownBy(() -> racing.release(release("clicks", 2, "staging"))).isInstanceOf(GitOpsException.class)
        .hasMessageContaining("changed by someone else").hasMessageContaining("clicks:3")
        .extracting(e -> ((GitOpsException) e).kind()).isEqualTo(GitOpsException.Kind.CONFLICT);
    assertThat(ReleaseVersionFile.version(GitFixtures.read(bare, RepoLayout.releaseFile("clicks", "staging"))))
        .contains("3");
  }

  @Test
  void rollbackRestoresThePreviousReleaseSkippingOnesAlreadyRolledBack() throws Exception {
    String release3 = null;
    for (long version = 1; version <= 3; version++) {
      release3 = writer.release(release("clicks", version, "staging")).sha();
    }

    writer.rollback(new RollbackRequest("clicks", "staging", null, "error rate 4% > 1%", "run-9", PIPELINE));

    assertThat(ReleaseVersionFile.version(GitFixtures.read(bare, RepoLayout.releaseFile("clicks", "staging"))))
        .contains("2");
    RevCommit rollback = GitFixtures.log(bare).get(0);
    assertThat(rollback.getShortMessage()).isEqualTo("rollback(clicks): staging to 2");
    assertThat(rollback.getFullMessage()).contains("This reverts commit " + release3 + ".")
        .contains("Reason: error rate 4% > 1%").contains("Modelship-Replaces: 3");

    writer.rollback(new RollbackRequest("clicks", "staging", null, null, "run-10", PIPELINE));

    assertThat(ReleaseVersionFile.version(GitFixtures.read(bare, RepoLayout.releaseFile("clicks", "staging"))))
        .as("3 was rolled back, 2 is current: 1 is next").contains("1");
    assertThat(KustomizationImages.find(GitFixtures.read(bare, RepoLayout.kustomization("clicks", "staging")),
        RepoLayout.IMAGE_NAME)).contains(KustomizationImages.Entry.pinning(image("clicks", 1)));

    writer.rollback(new RollbackRequest("clicks", "staging", 3L, "fixed upstream", "run-11", PIPELINE));

    assertThat(ReleaseVersionFile.version(GitFixtures.read(bare, RepoLayout.releaseFile("clicks", "staging"))))
        .contains("3");
    assertThatThrownBy(() -> writer.rollback(new RollbackRequest("clicks", "staging", 9L, null, "r", PIPELINE)))
        .hasMessageContaining("version 9 was never released (released: 3, 1, 2)");
  }

  @Test
  void rollbackWithoutAnEarlierReleaseSaysSo() throws Exception {
    writer.release(release("clicks", 1, "staging"));

    assertThatThrownBy(() -> writer.rollback(new RollbackRequest("clicks", "staging", null, null, "r", PIPELINE)))
        .isInstanceOf(GitOpsException.class).hasMessageContaining("no earlier release in staging");
    assertThatThrownBy(() -> writer.rollback(new RollbackRequest("clicks", "production", null, null, "r",
        PIPELINE))).hasMessageContaining("has no production overlay");
  }

  @Test
  void promotionCopiesStagingsImageToProductionOnce() throws Exception {
    writer.release(release("clicks", 2, "staging"));
    PromotionRequest promotion = new PromotionRequest("clicks", "staging", "production", "run-7", PIPELINE);

    ReleaseCommit promoted = writer.promote(promotion);
    ReleaseCommit again = writer.promote(promotion);

    assertThat(promoted.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(KustomizationImages.find(GitFixtures.read(bare, RepoLayout.kustomization("clicks", "production")),
        RepoLayout.IMAGE_NAME)).contains(KustomizationImages.Entry.pinning(image("clicks", 2)));
    assertThat(GitFixtures.read(bare, "apps/clicks/overlays/production/hpa-production.yaml")).isNotNull();
    RevCommit commit = GitFixtures.log(bare).get(0);
    assertThat(commit.getShortMessage()).isEqualTo("promote(clicks): 2 from staging to production");
    assertThat(commit.getFullMessage()).contains("Modelship-From: staging").contains("Modelship-Env: production");
  }

  @Test
  void historyListsReleasesRollbacksAndEditsNewestFirst() throws Exception {
    writer.release(release("clicks", 1, "staging"));
    writer.release(release("clicks", 2, "staging"));
    GitFixtures.humanCommit(bare, folder, RepoLayout.kustomization("clicks", "staging"), text -> text + "# ok\n",
        "comment the overlay");
    writer.rollback(new RollbackRequest("clicks", "staging", null, "latency", "run-3", PIPELINE));
    writer.release(release("other", 1, "staging"));

    List<ReleaseEvent> history = writer.history("clicks", null);

    assertThat(history).extracting(ReleaseEvent::action, ReleaseEvent::version, ReleaseEvent::why).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ReleaseEvent.Action.ROLLBACK, "1", "latency"),
        org.assertj.core.groups.Tuple.tuple(ReleaseEvent.Action.EDIT, null, "comment the overlay"),
        org.assertj.core.groups.Tuple.tuple(ReleaseEvent.Action.RELEASE, "2", "run run-clicks-2"),
        org.assertj.core.groups.Tuple.tuple(ReleaseEvent.Action.RELEASE, "1", "run run-clicks-1"));
    assertThat(history.get(0).replaces()).isEqualTo("2");
    assertThat(history.get(1).author()).isEqualTo("Jane Doe <jane@team.test>");
    assertThat(writer.history("clicks", "production")).isEmpty();
  }

  @Test
  void unknownEnvironmentsAndUnusableNamesAreRefusedBeforeAnythingIsWritten() throws Exception {
    int commits = GitFixtures.log(bare).size();

    assertThatThrownBy(() -> writer.release(release("clicks", 1, "qa"))).isInstanceOf(GitOpsException.class)
        .hasMessageContaining("no environment 'qa'").hasMessageContaining("production, staging");
    assertThatThrownBy(() -> release("Clicks_V2", 1, "staging")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot name Kubernetes objects");
    assertThat(GitFixtures.log(bare)).hasSize(commits);
  }

  @Test
  void releasingIntoAnUninitialisedRepositorySaysToRunInit() throws Exception {
    Path empty = folder.resolve("empty.git");
    org.eclipse.jgit.api.Git.init().setBare(true).setInitialBranch("main").setDirectory(empty.toFile()).call()
        .close();

    assertThatThrownBy(() -> GitFixtures.writer(GitFixtures.local(empty), e -> { })
        .release(release("clicks", 1, "staging"))).hasMessageContaining("modelship gitops init");
  }
}
