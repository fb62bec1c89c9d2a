package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.training.TrainingResult;
import dev.modelship.controller.validate.GateFixtures;
import dev.modelship.controller.validate.PackageSource;
import dev.modelship.controller.validate.ValidationGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path shared;
  static TrainingResult good;
  static TrainingResult shuffled;

  @TempDir
  Path dir;

  @BeforeAll
  static void trainModels() throws Exception {
    good = GateFixtures.trainGood(shared);
    shuffled = GateFixtures.trainShuffled(shared, good);
  }

  /** The registry stand-in: versions 1 (good) and 2 (trained on shuffled labels). */
  private static final PackageSource REGISTRY = ref -> {
    Map<ModelVersionRef, ModelPackage> versions = Map.of(new ModelVersionRef("clicks", 1), good.pkg(),
        new ModelVersionRef("clicks", 2), shuffled.pkg());
    ModelPackage pkg = versions.get(ref);
    if (pkg == null) {
      throw new RegistryException(RegistryException.Kind.NOT_FOUND, "no version " + ref);
    }
    return pkg;
  };

  private CommandRun validate(PackageSource source, String... args) {
    return CommandRun.of(new ValidateCommand(new ModelshipHome(dir), source, ValidationGate.onCpu(Clock.systemUTC())),
        args);
  }

  private JsonNode stored(String name, int version) throws Exception {
    return JSON.readTree(dir.resolve("validations").resolve(name).resolve(version + ".json").toFile());
  }

  @Test
  void aGoodPackageExitsZeroAndItsReportIsStored() throws Exception {
    CommandRun run = validate(PackageSource.none(), "clicks:1", "--package", good.pkg().directory().toString(),
        "--latency-runs", "10");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).startsWith("clicks:1 (" + good.pkg().digest() + "): PASSED");
    assertThat(run.err()).contains("report stored in " + dir.resolve("validations/clicks/1.json"));
    assertThat(stored("clicks", 1).get("outcome").asText()).isEqualTo("PASSED");
  }

  @Test
  void aRegressionAgainstTheChampionExitsOneNamingTheFailedChecks() throws Exception {
    CommandRun run = validate(REGISTRY, "clicks:2", "--against", "clicks:1", "--latency-runs", "10");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("against clicks:1: REJECTED").contains("FAILED   quality.accuracy")
        .contains("accuracy_min");
    JsonNode report = stored("clicks", 2);
    assertThat(report.get("outcome").asText()).isEqualTo("REJECTED");
    assertThat(report.get("champion").asText()).isEqualTo("clicks:1");
  }

  @Test
  void jsonPrintsTheReportAsJson() throws Exception {
    CommandRun run = validate(REGISTRY, "clicks:2", "--champion-package", good.pkg().directory().toString(), "--json",
        "--latency-runs", "10");

    JsonNode report = JSON.readTree(run.out());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(report.get("outcome").asText()).isEqualTo("REJECTED");
    assertThat(report.get("version").asText()).isEqualTo("2");
    assertThat(report.get("checks").isArray()).isTrue();
  }

  @Test
  void aCheckThatCannotRunExitsTwo() throws Exception {
    Path noHoldoutColumns = GateFixtures.copy(good.pkg(), dir.resolve("pkg"));
    Files.writeString(noHoldoutColumns.resolve("holdout.csv"), "a,b\n1,2\n");

    CommandRun run = validate(PackageSource.none(), "--package", noHoldoutColumns.toString(), "--latency-runs", "10");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains(": ERROR").contains("lacks column(s)");
    assertThat(dir.resolve("validations")).doesNotExist();
  }

  @Test
  void aVersionWithoutARegistryOrPackageIsAnError() {
    CommandRun run = validate(PackageSource.none(), "clicks:1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no model registry is configured").contains("--package DIR");
  }

  @Test
  void refusesToFileAPackageUnderAnotherModelsName() {
    CommandRun run = validate(PackageSource.none(), "orders:1", "--package", good.pkg().directory().toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("holds model 'clicks', not orders");
  }

  @Test
  void needsSomethingToValidate() {
    CommandRun run = validate(PackageSource.none());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("give NAME:VERSION or --package DIR");
  }
}
