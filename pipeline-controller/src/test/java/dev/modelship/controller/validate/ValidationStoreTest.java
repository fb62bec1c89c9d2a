package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelVersionRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationStoreTest {
  @TempDir
  Path home;

  @Test
  void storesReportsUnderNameAndVersionWithTheirOutcome() throws Exception {
    ValidationStore store = ValidationStore.in(new ModelshipHome(home));
    ModelVersionRef ref = new ModelVersionRef("clicks", 3);

    Path file = store.save(ref, ValidationReportTest.report(Outcome.REJECTED,
        List.of(CheckResult.failed("quality.accuracy", 0.5, 0.7, "accuracy 0.5 < accuracy_min 0.7"))));

    assertThat(file).isEqualTo(home.resolve("validations/clicks/3.json"));
    assertThat(new ObjectMapper().readTree(file.toFile()).get("outcome").asText()).isEqualTo("REJECTED");
    assertThat(store.find(ref)).get().extracting(ValidationReport::version).isEqualTo("3");
  }

  @Test
  void aNewReportReplacesTheOldOneAndLeavesNoTemporaryFiles() throws Exception {
    ValidationStore store = ValidationStore.in(new ModelshipHome(home));
    ModelVersionRef ref = new ModelVersionRef("clicks", 1);

    store.save(ref, ValidationReportTest.report(Outcome.ERROR, List.of(CheckResult.error("quality", "no holdout"))));
    store.save(ref, ValidationReportTest.report(Outcome.PASSED, List.of(CheckResult.passed("quality", "ok"))));

    assertThat(store.find(ref)).get().extracting(ValidationReport::outcome).isEqualTo(Outcome.PASSED);
    try (Stream<Path> files = Files.list(home.resolve("validations/clicks"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("1.json");
    }
  }

  @Test
  void findsNothingForAVersionNeverValidated() throws Exception {
    assertThat(ValidationStore.in(new ModelshipHome(home)).find(new ModelVersionRef("clicks", 9))).isEmpty();
  }
}
