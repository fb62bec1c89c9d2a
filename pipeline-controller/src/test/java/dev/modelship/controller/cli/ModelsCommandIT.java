package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandIT {
  private static final Instant PUBLISHED = Instant.parse("2025-03-01T10:00:00.123Z");

  @TempDir
  Path dir;

  private ModelshipHome home;
  private FileSystemModelRegistry registry;

  @BeforeEach
  void setUp() {
    home = new ModelshipHome(dir.resolve("home"));
    registry = new FileSystemModelRegistry(home.registry(), Clock.fixed(PUBLISHED, ZoneOffset.UTC),
        Duration.ofHours(1));
  }

  @Test
  void listsEachModelWithItsVersionCountAndNewestVersion() throws Exception {
    publish("clicks", 1);
    publish("clicks", 2);
    publish("ranker", 1);

    RegistryCommandRun table = models();
    RegistryCommandRun json = models("--json");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().lines().toList()).hasSize(3);
    assertThat(table.out().lines().skip(1).toList()).satisfiesExactly(
        line -> assertThat(line.split("\\s+")).containsExactly("clicks", "2", "2", "2025-03-01T10:00:00Z"),
        line -> assertThat(line.split("\\s+")).containsExactly("ranker", "1", "1", "2025-03-01T10:00:00Z"));
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).path("name").asText()).isEqualTo("clicks");
    assertThat(rows.get(0).path("latest").asLong()).isEqualTo(2);
    assertThat(rows.get(0).path("latest_digest").asText()).isEqualTo(
        registry.find(ModelVersionRef.parse("clicks:2")).orElseThrow().digest());
  }

  @Test
  void listsAModelsVersionsWithDigestPublishTimeAndValidationOutcome() throws Exception {
    PublishedVersion passed = publish("clicks", 1);
    PublishedVersion pending = publish("clicks", 2);
    PublishedVersion garbled = publish("clicks", 3);
    PublishedVersion rejected = publish("clicks", 4);
    Path reports = Files.createDirectories(home.validations().resolve("clicks"));
    Files.writeString(reports.resolve("1.json"), "{\"outcome\": \"PASSED\", \"metrics\": {}}");
    Files.writeString(reports.resolve("3.json"), "{not json");
    Files.writeString(reports.resolve("4.json"), "{\"outcome\": \"REJECTED\"}");

    RegistryCommandRun table = models("clicks");
    RegistryCommandRun json = models("clicks", "--json");

    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out().lines().skip(1).map(line -> List.of(line.split("\\s+"))).toList()).containsExactly(
        List.of("1", passed.digest(), "2025-03-01T10:00:00Z", "PASSED"),
        List.of("2", pending.digest(), "2025-03-01T10:00:00Z", "-"),
        List.of("3", garbled.digest(), "2025-03-01T10:00:00Z", "unreadable"),
        List.of("4", rejected.digest(), "2025-03-01T10:00:00Z", "REJECTED"));
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows.get(0).path("validation").asText()).isEqualTo("PASSED");
    assertThat(rows.get(1).path("validation").isNull()).isTrue();
    assertThat(rows.get(1).path("digest").asText()).isEqualTo(pending.digest());
    assertThat(rows.get(1).path("published_at").asText()).isEqualTo(PUBLISHED.toString());
  }

  @Test
  void anUnknownModelIsAnErrorAndAnEmptyRegistrySaysSo() {
    RegistryCommandRun unknown = models("nothing");
    RegistryCommandRun invalid = models("../etc");
    RegistryCommandRun empty = models();

    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("error: no model 'nothing' in " + home.registry()
        + System.lineSeparator());
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(invalid.err()).contains("not a valid model name");
    assertThat(empty.exitCode()).isZero();
    assertThat(empty.out()).contains("no models in " + home.registry());
  }

  @Test
  void theRegistryOptionWinsOverTheHomeRegistry() throws Exception {
    FileSystemModelRegistry elsewhere = new FileSystemModelRegistry(dir.resolve("elsewhere"));
    Path source = dir.resolve("pkg");
    writePackage(source, "scorer", 1);
    elsewhere.publish(ModelVersionRef.parse("scorer:1"), ModelPackage.fromDirectory(source));

    RegistryCommandRun run = models("--registry", dir.resolve("elsewhere").toString());

    assertThat(run.out()).contains("scorer").doesNotContain("clicks");
  }

  private RegistryCommandRun models(String... args) {
    return RegistryCommandRun.of(new ModelsCommand(new RegistryAccess(home, Map.of(), null)), args);
  }

  private PublishedVersion publish(String name, long version) throws Exception {
    Path source = dir.resolve("packages").resolve(name + "-" + version);
    writePackage(source, name, version);
    return registry.publish(new ModelVersionRef(name, version), ModelPackage.fromDirectory(source)).version();
  }

  private static void writePackage(Path folder, String name, long variant) throws Exception {
    Files.createDirectories(folder);
    ExampleModels.writeMlp(folder.resolve("model.onnx"), 3, 4, 1, 2, variant);
    new ModelManifest(name, ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), null, null,
        null, null, null, null, null, null).write(folder.resolve("modelship.yaml"));
  }
}
