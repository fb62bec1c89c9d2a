package dev.modelship.controller.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.pipeline.JournalEntry;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.testing.GitOpsRepo;
import dev.modelship.controller.validate.CheckResult;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release stage committing a run's built image to a real bare GitOps repository. */
class ReleaseStageIT {
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  private static final ModelVersionRef CLICKS_2 = new ModelVersionRef("clicks", 2);

  @TempDir
  Path dir;

  private GitOpsRepo repo;
  private ValidationStore validations;
  private ReleaseStage stage;

  @BeforeEach
  void initialise() throws Exception {
    repo = GitOpsRepo.init(dir.resolve("git"));
    validations = new ValidationStore(dir.resolve("validations"));
    stage = new ReleaseStage(repo.writer(), validations, GitOpsRepo.ENVIRONMENT, GitOpsRepo.PIPELINE);
  }

  private static String builtImage(long version) {
    return "modelship.local/serving:clicks-" + version + "@" + GitOpsRepo.image("clicks", version).digest();
  }

  private static PipelineRun builtRun(long version) {
    String id = "clicks-" + version;
    return PipelineRun.fold(List.of(
        new JournalEntry(1, T0, id, JournalEntry.Type.CREATED, "clicks", version, GitOpsRepo.digest("package"),
            null, null, null, null),
        new JournalEntry(2, T0, id, JournalEntry.Type.STAGE_SUCCEEDED, null, null, null, BuildImageStage.NAME,
            Map.of(BuildImageStage.IMAGE, builtImage(version)), "built", null))).get(0);
  }

  private static ValidationReport passed() {
    return new ValidationReport("clicks", null, GitOpsRepo.digest("package"), "clicks:1", null, Outcome.PASSED,
        List.of(CheckResult.passed("quality.accuracy", "accuracy 0.8123 >= accuracy_min 0.7900")),
        Map.of("accuracy", 0.8123), Map.of(), T0.toString());
  }

  @Test
  void commitsTheBuiltImageWithTheValidationOutcomeAndTheRunInTheMessage() throws Exception {
    validations.save(CLICKS_2, passed());

    Stage.Result result = stage.run(builtRun(2), message -> { });

    String head = repo.head();
    assertThat(result.finish()).isEmpty();
    assertThat(result.values()).containsExactly(Map.entry(ReleaseStage.COMMIT, head));
    assertThat(result.message()).isEqualTo("committed clicks:2 to production (" + head.substring(0, 12) + ")");
    assertThat(repo.read("apps/clicks/overlays/production/kustomization.yaml"))
        .contains("digest: " + GitOpsRepo.image("clicks", 2).digest());
    assertThat(repo.read("apps/clicks/overlays/production/release.yaml")).contains("modelship.dev/version: \"2\"");
    assertThat(repo.log().get(0)).startsWith("release(clicks): 2 to production")
        .contains("Validation: ").contains("PASSED").contains("quality.accuracy")
        .contains("Modelship-Run: clicks-2");
    ReleaseEvent event = repo.writer().history("clicks", GitOpsRepo.ENVIRONMENT).get(0);
    assertThat(event.action()).isEqualTo(ReleaseEvent.Action.RELEASE);
    assertThat(event.version()).isEqualTo("2");
    assertThat(event.run()).isEqualTo("clicks-2");
  }

  @Test
  void releasingTheSameRunAgainCommitsNothingAndReturnsTheSameCommit() throws Exception {
    Stage.Result first = stage.run(builtRun(2), message -> { });
    List<String> log = repo.log();

    Stage.Result second = stage.run(builtRun(2), message -> { });

    assertThat(repo.log()).isEqualTo(log);
    assertThat(second.values()).isEqualTo(first.values());
    assertThat(second.message()).isEqualTo("already committed clicks:2 to production ("
        + first.values().get(ReleaseStage.COMMIT).substring(0, 12) + ")");
    assertThat(first.message()).startsWith("committed ");
  }

  @Test
  void withoutAFiledReportTheCommitSaysSo() throws Exception {
    stage.run(builtRun(2), message -> { });

    assertThat(repo.log().get(0)).contains("Validation: no report recorded for clicks:2");
  }

  @Test
  void aRunWithoutABuiltImageIsRefusedAndCommitsNothing() throws Exception {
    PipelineRun unbuilt = PipelineRun.fold(List.of(new JournalEntry(1, T0, "clicks-2", JournalEntry.Type.CREATED,
        "clicks", 2L, GitOpsRepo.digest("package"), null, null, null, null))).get(0);
    List<String> log = repo.log();

    assertThatThrownBy(() -> stage.run(unbuilt, message -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessage("run clicks-2 has no built image to release");
    assertThat(repo.log()).isEqualTo(log);
  }
}
