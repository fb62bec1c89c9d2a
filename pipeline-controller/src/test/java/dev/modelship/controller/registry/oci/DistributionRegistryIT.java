package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelRegistry.PublishOutcome;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The OCI model registry against a real registry (CNCF Distribution), without auth. Each test has its repository. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionRegistryIT {
  private static final Instant PUBLISHED_AT = Instant.parse("2026-03-04T05:06:07Z");
  private static final OciRegistryOptions PLAIN_HTTP = new OciRegistryOptions(true, null, null, Duration.ofSeconds(10));

  private DistributionRegistry registry;

  @BeforeAll
  void startRegistry(@TempDir Path registryFolder) throws IOException {
    registry = DistributionRegistry.start(registryFolder);
  }

  @AfterAll
  void stopRegistry() {
    registry.close();
  }

  @Test
  void publishedVersionIsListedFoundAndFetchedByteForByte(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("roundtrip");
    ModelPackage pkg = TestPackages.write(work.resolve("pkg"), "clicks", 1);

    PublishOutcome outcome = models.publish(ModelVersionRef.parse("clicks:1"), pkg);

    PublishedVersion expected = new PublishedVersion(ModelVersionRef.parse("clicks:1"), pkg.digest(),
        pkg.fileDigests(), PUBLISHED_AT);
    assertThat(outcome).isEqualTo(new PublishOutcome(expected, true));
    assertThat(models.models()).containsExactly("clicks");
    assertThat(models.versions("clicks")).containsExactly(expected);
    assertThat(models.find(ModelVersionRef.parse("clicks:1"))).contains(expected);
    Path target = work.resolve("fetched/deeper/clicks-1");
    ModelPackage fetched = models.fetch(ModelVersionRef.parse("clicks:1"), target);
    assertThat(fetched.directory()).isEqualTo(target.toAbsolutePath());
    assertThat(fetched.digest()).isEqualTo(pkg.digest());
    TestPackages.assertSameFiles(target, pkg.directory());
    assertThat(TestPackages.contentsOf(work.resolve("fetched"))).as("no staging leftovers")
        .containsExactly("deeper", "deeper/clicks-1", "deeper/clicks-1/holdout.csv", "deeper/clicks-1/model.onnx",
            "deeper/clicks-1/modelship.yaml");
  }

  @Test
  void storesEachVersionAsAnOciArtifactWithOneTitledLayerPerFile(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("layout");
    ModelPackage pkg = TestPackages.write(work, "clicks", 2);
    models.publish(ModelVersionRef.parse("clicks:7"), pkg);

    HttpResponse<String> reply = registry.get("/v2/layout/manifests/clicks-7", ModelArtifact.MANIFEST_MEDIA_TYPE,
        null, null);
    JsonNode manifest = new ObjectMapper().readTree(reply.body());

    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifest.path("artifactType").asText()).isEqualTo("application/vnd.modelship.model.v1+json");
    assertThat(manifest.path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.empty.v1+json");
    List<String> layers = new ArrayList<>();
    manifest.path("layers").forEach(layer -> layers.add(layer.path("annotations")
        .path("org.opencontainers.image.title").asText() + " " + layer.path("mediaType").asText() + " "
        + layer.path("digest").asText()));
    assertThat(layers).containsExactlyInAnyOrder(
        "holdout.csv text/csv " + pkg.fileDigests().get("holdout.csv"),
        "model.onnx application/vnd.modelship.model.onnx " + pkg.fileDigests().get("model.onnx"),
        "modelship.yaml application/vnd.modelship.manifest.v1+yaml " + pkg.fileDigests().get("modelship.yaml"));
    assertThat(new ObjectMapper().convertValue(manifest.path("annotations"), Map.class)).isEqualTo(Map.of(
        "dev.modelship.model.name", "clicks",
        "dev.modelship.model.version", "7",
        "dev.modelship.package.digest", pkg.digest(),
        "org.opencontainers.image.created", PUBLISHED_AT.toString()));
  }

  @Test
  void listsModelsSortedAndVersionsOldestFirst(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("listing");
    assertThat(models.models()).as("a repository nobody pushed to").isEmpty();
    ModelPackage ctr = TestPackages.write(work.resolve("ctr"), "click-ctr", 3);
    for (String version : List.of("click-ctr:10", "click-ctr:2", "click-ctr:1")) {
      models.publish(ModelVersionRef.parse(version), ctr);
    }
    models.publish(ModelVersionRef.parse("a:1"), TestPackages.write(work.resolve("a"), "a", 4));

    assertThat(models.models()).containsExactly("a", "click-ctr");
    assertThat(models.versions("click-ctr")).extracting(version -> version.ref().version())
        .containsExactly(1L, 2L, 10L);
    assertThat(models.versions("click")).isEmpty();
    assertThat(models.find(ModelVersionRef.parse("click-ctr:3"))).isEmpty();
  }

  @Test
  void publishingTheSamePackageAgainChangesNothing(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("republish");
    ModelPackage pkg = TestPackages.write(work, "clicks", 5);
    PublishedVersion first = models.publish(ModelVersionRef.parse("clicks:1"), pkg).version();
    String before = registry.snapshot("republish", null, null);

    OciModelRegistry later = new OciModelRegistry(registry.address("republish"), PLAIN_HTTP, context(
        Clock.fixed(PUBLISHED_AT.plusSeconds(3600), ZoneOffset.UTC)));
    PublishOutcome again = later.publish(ModelVersionRef.parse("clicks:1"), ModelPackage.fromDirectory(work));

    assertThat(again).isEqualTo(new PublishOutcome(first, false));
    assertThat(registry.snapshot("republish", null, null)).isEqualTo(before);
  }

  @Test
  void publishingOtherContentAsAnExistingVersionIsAConflict(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("conflict");
    ModelPackage original = TestPackages.write(work.resolve("original"), "clicks", 6);
    ModelPackage other = TestPackages.write(work.resolve("other"), "clicks", 7);
    models.publish(ModelVersionRef.parse("clicks:1"), original);
    String before = registry.snapshot("conflict", null, null);

    assertThatThrownBy(() -> models.publish(ModelVersionRef.parse("clicks:1"), other))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.CONFLICT))
        .hasMessageContaining("clicks:1 already exists").hasMessageContaining(original.digest())
        .hasMessageContaining(other.digest());

    assertThat(registry.snapshot("conflict", null, null)).isEqualTo(before);
    models.fetch(ModelVersionRef.parse("clicks:1"), work.resolve("fetched"));
    TestPackages.assertSameFiles(work.resolve("fetched"), original.directory());
  }

  @Test
  void publishFailingMidwayLeavesNoVersion(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("midway");
    ModelPackage pkg = TestPackages.write(work, "clicks", 8);
    String before = registry.snapshot("midway", null, null);
    // The model file changes after the package was read: the registry refuses the blob whose bytes no longer
    // match the digest, after the config blob was already stored.
    Files.write(pkg.modelFile(), new byte[] {1, 2, 3});

    assertThatThrownBy(() -> models.publish(ModelVersionRef.parse("clicks:1"), pkg))
        .isInstanceOf(RegistryException.class).hasMessageContaining("DIGEST_INVALID")
        .hasMessageContaining("model.onnx of clicks:1");

    assertThat(registry.snapshot("midway", null, null)).isEqualTo(before);
    assertThat(models.find(ModelVersionRef.parse("clicks:1"))).isEmpty();
    assertThat(models.models()).isEmpty();
  }

  @Test
  void packageNamingAnotherModelIsRefusedBeforeAnythingIsSent(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("misnamed");
    ModelPackage pkg = TestPackages.write(work, "clicks", 9);
    String before = registry.snapshot("misnamed", null, null);

    assertThatThrownBy(() -> models.publish(ModelVersionRef.parse("views:1"), pkg))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining("names the model 'clicks'");

    assertThat(registry.snapshot("misnamed", null, null)).isEqualTo(before);
  }

  @Test
  void fetchingAMissingVersionIsNotFoundAndWritesNothing(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("missing");
    models.publish(ModelVersionRef.parse("clicks:1"), TestPackages.write(work.resolve("pkg"), "clicks", 10));

    assertThatThrownBy(() -> models.fetch(ModelVersionRef.parse("clicks:2"), work.resolve("out/clicks-2")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.NOT_FOUND))
        .hasMessageContaining("clicks:2 is not in oci://127.0.0.1:" + registry.port() + "/missing");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void fetchRefusesATargetThatHoldsFiles(@TempDir Path work) throws Exception {
    OciModelRegistry models = registryFor("occupied");
    models.publish(ModelVersionRef.parse("clicks:1"), TestPackages.write(work.resolve("pkg"), "clicks", 11));
    Path target = Files.createDirectories(work.resolve("target"));
    Files.writeString(target.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> models.fetch(ModelVersionRef.parse("clicks:1"), target))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining("not an empty folder");
    assertThat(TestPackages.contentsOf(target)).containsExactly("notes.txt");
  }

  @Test
  void plainHttpRegistryIsRefusedUnlessInsecureHttpIsAllowed(@TempDir Path work) throws Exception {
    OciModelRegistry https = new OciModelRegistry(registry.address("tls"),
        new OciRegistryOptions(false, null, null, Duration.ofSeconds(10)), context(Clock.systemUTC()));
    ModelPackage pkg = TestPackages.write(work, "clicks", 12);
    String before = registry.snapshot("tls", null, null);

    assertThatThrownBy(() -> https.publish(ModelVersionRef.parse("clicks:1"), pkg))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("TLS with the OCI registry 127.0.0.1:" + registry.port())
        .hasMessageContaining("allow insecure HTTP");

    assertThat(registry.snapshot("tls", null, null)).isEqualTo(before);
    assertThat(registryFor("tls").publish(ModelVersionRef.parse("clicks:1"), pkg).created()).isTrue();
  }

  @Test
  void stoppedRegistryIsUnavailable(@TempDir Path work) throws Exception {
    ModelPackage pkg = TestPackages.write(work.resolve("pkg"), "clicks", 13);
    OciModelRegistry models;
    int port;
    try (DistributionRegistry shortLived = DistributionRegistry.start(work.resolve("short-lived"))) {
      port = shortLived.port();
      models = new OciModelRegistry(shortLived.address("models"), PLAIN_HTTP, context(Clock.systemUTC()));
      models.publish(ModelVersionRef.parse("clicks:1"), pkg);
    }

    assertThatThrownBy(models::models)
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("OCI registry 127.0.0.1:" + port + " unavailable: cannot connect");
    assertThatThrownBy(() -> models.fetch(ModelVersionRef.parse("clicks:1"), work.resolve("out/clicks")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE));
    assertThat(work.resolve("out")).doesNotExist();
  }

  private OciModelRegistry registryFor(String repository) {
    return new OciModelRegistry(registry.address(repository), PLAIN_HTTP,
        context(Clock.fixed(PUBLISHED_AT, ZoneOffset.UTC)));
  }

  private static OciClientContext context(Clock clock) {
    return new OciClientContext(clock, Map.of(), null);
  }
}
