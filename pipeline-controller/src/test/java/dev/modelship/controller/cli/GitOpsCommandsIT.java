package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.validate.CheckResult;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GitOps commands end to end on the embedded default: a bare repository under $MODELSHIP_HOME. */
class GitOpsCommandsIT {
  private static final String DIGEST_1 = "sha256:" + "1".repeat(64);
  private static final String DIGEST_3 = "sha256:" + "3".repeat(64);

  @TempDir
  Path home;
  private GitOpsAccess access;

  @BeforeEach
  void initialise() {
    access = new GitOpsAccess(Map.of(GitOpsAccess.RUN_ENV, "run-cli", "MODELSHIP_GIT_AUTHOR",
        "Ada Ops <ada@team.test>"), new ModelshipHome(home));
    CommandRun init = CommandRun.of(new GitopsCommand(access), "init");
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.out()).startsWith("initialised file://" + home.resolve("gitops.git"));
  }

  @Test
  void initTwiceChangesNothing() {
    CommandRun again = CommandRun.of(new GitopsCommand(access), "init");

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).startsWith("already initialised");
  }

  @Test
  void releasePromoteRollbackAndHistoryFromTheCommandLine() throws Exception {
    store(1, Outcome.PASSED);
    CommandRun released = release("clicks:1", "127.0.0.1:5000/models/serving:clicks-1@" + DIGEST_1, "staging");
    CommandRun again = release("clicks:1", "127.0.0.1:5000/models/serving:clicks-1@" + DIGEST_1, "staging");
    CommandRun unvalidated = release("clicks:3", "127.0.0.1:5000/models/serving@" + DIGEST_3, "staging");
    CommandRun allowed = release("clicks:3", "127.0.0.1:5000/models/serving@" + DIGEST_3, "staging",
        "--allow-unvalidated");
    CommandRun promoted = CommandRun.of(new PromoteEnvCommand(access), "clicks", "--from", "staging", "--to",
        "production");
    CommandRun rolledBack = CommandRun.of(new RollbackCommand(access), "clicks", "--env", "staging", "--reason",
        "p99 0.8s > 0.5s");
    CommandRun history = CommandRun.of(new HistoryCommand(access), "clicks", "--env", "staging");
    CommandRun json = CommandRun.of(new HistoryCommand(access), "clicks", "--json");

    assertThat(released.exitCode()).as(released.err()).isZero();
    assertThat(released.out()).startsWith("released clicks:1 to staging: ");
    assertThat(again.out()).startsWith("clicks:1 is already released to staging, nothing committed");
    assertThat(unvalidated.exitCode()).isEqualTo(2);
    assertThat(unvalidated.err()).contains("no validation report for clicks:3");
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();
    assertThat(promoted.exitCode()).as(promoted.err()).isZero();
    assertThat(rolledBack.exitCode()).as(rolledBack.err()).isZero();
    assertThat(history.out().lines().toList()).hasSize(3).satisfies(lines -> {
      assertThat(lines.get(0)).contains("rollback staging     clicks:1 (replaces 3)  Ada Ops <ada@team.test>  "
          + "p99 0.8s > 0.5s");
      assertThat(lines.get(1)).contains("release  staging     clicks:3").endsWith("run run-cli");
      assertThat(lines.get(2)).contains("release  staging     clicks:1");
    });
    JsonNode events = new ObjectMapper().readTree(json.out());
    assertThat(events).hasSize(4);
    assertThat(events.get(1).path("action").asText()).isEqualTo("promote");
    assertThat(events.get(1).path("image").asText()).isEqualTo("127.0.0.1:5000/models/serving@" + DIGEST_3);
  }

  @Test
  void aRejectedVersionIsNeverReleased() throws Exception {
    store(2, Outcome.REJECTED);
    String before = head();

    CommandRun rejected = release("clicks:2", "127.0.0.1:5000/models/serving@" + DIGEST_1, "staging",
        "--allow-unvalidated");

    assertThat(rejected.exitCode()).isEqualTo(1);
    assertThat(rejected.err()).contains("clicks:2 did not pass validation (REJECTED)").contains("quality.roc_auc");
    assertThat(head()).isEqualTo(before);
  }

  @Test
  void badInputIsAClearErrorAndCommitsNothing() throws Exception {
    String before = head();

    CommandRun unpinned = release("clicks:1", "127.0.0.1:5000/models/serving:latest", "staging",
        "--allow-unvalidated");
    CommandRun unknownEnvironment = release("clicks:1", "127.0.0.1:5000/models/serving@" + DIGEST_1, "qa",
        "--allow-unvalidated");
    CommandRun nothingToPromote = CommandRun.of(new PromoteEnvCommand(access), "clicks", "--from", "staging", "--to",
        "production");

    assertThat(unpinned.exitCode()).isEqualTo(2);
    assertThat(unpinned.err()).contains("is not an image pinned by digest");
    assertThat(unknownEnvironment.exitCode()).isEqualTo(2);
    assertThat(unknownEnvironment.err()).contains("no environment 'qa'");
    assertThat(nothingToPromote.exitCode()).isEqualTo(2);
    assertThat(nothingToPromote.err()).contains("clicks has no staging overlay");
    assertThat(head()).isEqualTo(before);
  }

  private CommandRun release(String ref, String image, String environment, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of(ref, "--image", image, "--env", environment));
    args.addAll(List.of(more));
    return CommandRun.of(new ReleaseCommand(access), args.toArray(String[]::new));
  }

  private void store(long version, Outcome outcome) throws Exception {
    CheckResult check = outcome == Outcome.PASSED ? CheckResult.passed("quality.roc_auc", 0.91, 0.7, "ok")
        : CheckResult.failed("quality.roc_auc", 0.52, 0.7, "below the bar");
    ValidationStore.in(new ModelshipHome(home)).save(new ModelVersionRef("clicks", version), new ValidationReport(
        "clicks", Long.toString(version), "sha256:" + "c".repeat(64), null, null, outcome, List.of(check), Map.of(),
        Map.of(), "2026-01-01T00:00:00Z"));
  }

  private String head() throws Exception {
    try (Git git = Git.open(home.resolve("gitops.git").toFile())) {
      return git.getRepository().resolve("refs/heads/main").name();
    }
  }
}
