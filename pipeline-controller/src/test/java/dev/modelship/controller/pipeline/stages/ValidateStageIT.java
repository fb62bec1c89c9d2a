package dev.modelship.controller.pipeline.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import dev.modelship.controller.pipeline.JournalEntry;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.training.TrainingResult;
import dev.modelship.controller.validate.GateFixtures;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.ValidationGate;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validate stage on versions in a file-system registry, trained on the example click data: a good model,
 * and one trained on shuffled labels measured on the good model's holdout and held to its bars.
 */
class ValidateStageIT {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final ModelVersionRef GOOD = new ModelVersionRef("clicks", 1);
  private static final ModelVersionRef SHUFFLED = new ModelVersionRef("clicks", 2);

  @TempDir
  static Path shared;
  static TrainingResult good;
  static TrainingResult shuffled;

  @TempDir
  Path dir;

  /** The gate reads its clock once per validation, to date the report: the number of times the gate ran. */
  private final AtomicLong validations = new AtomicLong();
  private final List<String> events = new ArrayList<>();
  private FileSystemModelRegistry registry;
  private ValidationStore store;
  private Optional<ModelVersionRef> champion = Optional.empty();
  private ValidateStage stage;

  @BeforeAll
  static void train() throws Exception {
    good = GateFixtures.trainGood(shared);
    shuffled = GateFixtures.trainShuffled(shared, good);
  }

  @BeforeEach
  void publish() throws Exception {
    registry = new FileSystemModelRegistry(dir.resolve("registry"));
    registry.publish(GOOD, good.pkg());
    registry.publish(SHUFFLED, shuffled.pkg());
    store = new ValidationStore(dir.resolve("validations"));
    Clock counting = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        validations.incrementAndGet();
        return NOW;
      }
    };
    ValidationGate gate = new ValidationGate(new ModelLoader(OrtEnvironment.getEnvironment(),
        new ModelLoader.Defaults(DeviceSpec.cpu(), 1)), counting, System::nanoTime);
    stage = new ValidateStage(new Packages(registry, dir.resolve("cache")), gate, store, model -> {
      assertThat(model).isEqualTo("clicks");
      return champion;
    });
  }

  private PipelineRun run(ModelVersionRef ref) throws Exception {
    String digest = registry.find(ref).orElseThrow().digest();
    return PipelineRun.fold(List.of(new JournalEntry(1, NOW, ref.name() + "-" + ref.version(),
        JournalEntry.Type.CREATED, ref.name(), ref.version(), digest, null, null, null, null))).get(0);
  }

  @Test
  void aGoodVersionPassesAndItsReportIsFiled() throws Exception {
    Stage.Result result = stage.run(run(GOOD), events::add);

    assertThat(result.finish()).isEmpty();
    assertThat(result.values()).containsEntry("outcome", "PASSED").containsEntry("champion", "");
    assertThat(result.message()).matches("passed \\d+ checks");
    assertThat(events).containsExactly("validating clicks:1 (no champion yet)");
    ValidationReport filed = store.find(GOOD).orElseThrow();
    assertThat(filed.outcome()).isEqualTo(Outcome.PASSED);
    assertThat(filed.version()).isEqualTo("1");
    assertThat(filed.digest()).isEqualTo(registry.find(GOOD).orElseThrow().digest());
    assertThat(filed.validatedAt()).isEqualTo(NOW.toString());
    assertThat(result.message()).isEqualTo("passed " + filed.checks().size() + " checks");
    assertThat(validations.get()).isEqualTo(1);
  }

  @Test
  void aSecondRunOfTheStageReusesTheFiledReportWithoutMeasuringAgain() throws Exception {
    Stage.Result first = stage.run(run(GOOD), events::add);
    Path file = store.file(GOOD);
    byte[] report = Files.readAllBytes(file);
    FileTime written = Files.getLastModifiedTime(file);
    long before = validations.get();
    events.clear();

    Stage.Result second = stage.run(run(GOOD), events::add);

    assertThat(validations.get()).isEqualTo(before);
    assertThat(Files.readAllBytes(file)).isEqualTo(report);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
    assertThat(events).containsExactly("validation report of clicks:1 already filed: PASSED");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aReportFiledForOtherBytesIsNotTrustedAndTheGateRunsAgain() throws Exception {
    champion = Optional.of(GOOD);
    stage.run(run(SHUFFLED), events::add);
    // A stale REJECTED report under clicks:1 (from an earlier registry at the same path, say): other bytes.
    Files.copy(store.file(SHUFFLED), store.file(GOOD));
    assertThat(store.find(GOOD).orElseThrow().outcome()).isEqualTo(Outcome.REJECTED);
    champion = Optional.empty();
    long before = validations.get();

    Stage.Result result = stage.run(run(GOOD), events::add);

    assertThat(validations.get()).isEqualTo(before + 1);
    assertThat(result.finish()).isEmpty();
    assertThat(result.values()).containsEntry("outcome", "PASSED");
    assertThat(store.find(GOOD).orElseThrow().outcome()).isEqualTo(Outcome.PASSED);
    assertThat(store.find(GOOD).orElseThrow().digest()).isEqualTo(registry.find(GOOD).orElseThrow().digest());
  }

  @Test
  void aVersionTrainedOnShuffledLabelsIsRejectedAgainstTheChampionNamingTheFailedChecks() throws Exception {
    champion = Optional.of(GOOD);

    Stage.Result result = stage.run(run(SHUFFLED), events::add);

    assertThat(result.finish()).contains(PipelineRun.Outcome.REJECTED);
    assertThat(result.values()).containsEntry("outcome", "REJECTED").containsEntry("champion", "clicks:1");
    assertThat(result.message()).startsWith("rejected by the validation gate: FAILED")
        .contains("quality.accuracy").contains("quality.roc_auc").contains("quality.roc_auc.vs_champion")
        .contains("(bar ")
        .doesNotContain("PASSED").doesNotContain("SKIPPED").doesNotContain("signature");
    assertThat(events).containsExactly("validating clicks:2 against champion clicks:1");
    ValidationReport filed = store.find(SHUFFLED).orElseThrow();
    assertThat(filed.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(filed.champion()).isEqualTo("clicks:1");
    assertThat(filed.championDigest()).isEqualTo(registry.find(GOOD).orElseThrow().digest());
    assertThat(filed.championMetrics()).containsKeys("accuracy", "roc_auc");
  }

  @Test
  void aRejectedVersionStaysRejectedWhenItsRunIsResumed() throws Exception {
    champion = Optional.of(GOOD);
    Stage.Result first = stage.run(run(SHUFFLED), events::add);
    long before = validations.get();

    Stage.Result again = stage.run(run(SHUFFLED), events::add);

    assertThat(again).isEqualTo(first);
    assertThat(validations.get()).isEqualTo(before);
  }

  @Test
  void theVersionItselfIsNeverItsOwnChampion() throws Exception {
    champion = Optional.of(GOOD);

    Stage.Result result = stage.run(run(GOOD), events::add);

    assertThat(events).containsExactly("validating clicks:1 (no champion yet)");
    assertThat(result.values()).containsEntry("champion", "");
    assertThat(store.find(GOOD).orElseThrow().champion()).isNull();
  }

  @Test
  void aGateThatCannotVouchForTheVersionFailsTheRunNamingTheCheck() throws Exception {
    Path noHoldout = GateFixtures.copy(good.pkg(), dir.resolve("no-holdout"));
    Files.delete(noHoldout.resolve(ModelPackage.HOLDOUT_FILE));
    ModelVersionRef ref = new ModelVersionRef("clicks", 3);
    registry.publish(ref, ModelPackage.fromDirectory(noHoldout));

    assertThatThrownBy(() -> stage.run(run(ref), events::add)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the validation gate could not vouch for clicks:3: ERROR")
        .hasMessageContaining("quality").hasMessageContaining("no holdout.csv");
    assertThat(store.find(ref).orElseThrow().outcome()).isEqualTo(Outcome.ERROR);
  }
}
