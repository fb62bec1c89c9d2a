package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.oci.DistributionRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images built with the real serving runtime and pushed to a real registry (Debian's docker-registry on 127.0.0.1),
 * read back through the registry API: the layout, the reuse of layers between versions, reproducibility, and the
 * failures that must push nothing.
 */
class ImageBuildIT {
  @TempDir
  static Path shared;
  static DistributionRegistry registry;
  static RegistryImages images;
  static String base;
  static RuntimeDistribution runtime;
  static ImageBuilder builder;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = DistributionRegistry.start(shared.resolve("registry"));
    images = new RegistryImages(registry);
    base = TestBaseImages.tiny(registry, shared.resolve("base"));
    runtime = RuntimeDistribution.locate(Map.of(), Path.of(""), RuntimeDistribution.controllerCode());
    builder = new ImageBuilder(runtime, new BaseImages(null, null), Map.of(), shared.resolve("home"),
        shared.resolve("jib-cache"), "test");
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private ImageRequest request(String repository, String name, long version) throws Exception {
    return ImagePackages.request(dir, name, version, ImageTarget.parse(registry.authority() + "/" + repository), base)
        .withInsecureRegistries(Set.of(registry.authority()));
  }

  @Test
  void theImageRunsTheRuntimeOnItsModelAsANonRootUserAndCarriesItsLabels() throws Exception {
    ImageRequest request = request("serving", "clicks", 1).withExtraTags(List.of("candidate"));
    ImageRef image = builder.build(request);

    assertThat(image).isEqualTo(new ImageRef(registry.authority() + "/serving", "clicks-1", image.digest()));
    RegistryImages.Manifest manifest = images.manifest("serving", "clicks-1");
    assertThat(manifest.digest()).isEqualTo(image.digest());
    assertThat(images.manifest("serving", "candidate").digest()).isEqualTo(image.digest());
    JsonNode config = images.config("serving", manifest);
    JsonNode container = config.path("config");
    assertThat(container.path("User").asText()).isEqualTo("65532:65532");
    assertThat(container.path("ExposedPorts").fieldNames()).toIterable().containsExactly("8080/tcp");
    assertThat(container.path("WorkingDir").asText()).isEqualTo("/app");
    assertThat(strings(container.path("Entrypoint"))).containsExactly("java", "-XX:+UseContainerSupport",
        "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/serving-runtime.jar",
        "--model-repository", "/models");
    assertThat(strings(container.path("Cmd"))).isEmpty();
    ModelPackage pkg = request.pkg();
    assertThat(labels(container)).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(
        Map.entry("org.opencontainers.image.title", "clicks"),
        Map.entry("org.opencontainers.image.version", "1"),
        Map.entry("org.opencontainers.image.revision", pkg.digest()),
        Map.entry("org.opencontainers.image.created", "2025-05-20T10:15:31Z"),
        Map.entry("org.opencontainers.image.source", "oci://models.example/models"),
        Map.entry("org.opencontainers.image.base.name", base),
        Map.entry("dev.modelship.model.name", "clicks"),
        Map.entry("dev.modelship.model.version", "1"),
        Map.entry("dev.modelship.model.sha256", ModelPackage.sha256(pkg.modelFile()).substring("sha256:".length())),
        Map.entry("dev.modelship.runtime.version", runtime.version()),
        Map.entry("dev.modelship.runtime.device", "cpu"))));
    assertThat(config.path("created").asText()).isEqualTo("2025-05-20T10:15:31Z");
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");

    List<String> layers = manifest.layers();
    assertThat(layers).hasSize(4);
    assertThat(layers.get(0)).isEqualTo(images.manifest("base/tiny", "1").layers().get(0));
    Map<String, TarEntries.Entry> dependencies = files(layers.get(1));
    assertThat(dependencies.keySet()).containsExactlyInAnyOrderElementsOf(runtime.dependencyPaths().stream()
        .map(path -> "/app/" + path).toList());
    assertThat(files(layers.get(2)).keySet()).containsExactly("/app/serving-runtime.jar");
    Map<String, TarEntries.Entry> model = files(layers.get(3));
    assertThat(model.keySet()).containsExactlyInAnyOrder("/models/clicks/1/model.onnx", "/models/clicks/1/model.yaml");
    assertThat(model.get("/models/clicks/1/model.onnx").size()).isEqualTo(Files.size(pkg.modelFile()));
    assertThat(model.get("/models/clicks/1/model.yaml").contentText())
        .isEqualTo("dynamic_batching:\n  max_queue_delay_microseconds: 100\nmax_batch_size: 16\n");
    for (String layer : layers.subList(1, 4)) {
      for (TarEntries.Entry entry : TarEntries.read(images.layerTar("serving", layer)).values()) {
        assertThat(entry.uid()).as(entry.path()).isZero();
        assertThat(entry.gid()).as(entry.path()).isZero();
        assertThat(entry.modifiedSeconds()).as(entry.path()).isEqualTo(1);
        assertThat(entry.mode() & 0777).as(entry.path()).isEqualTo(entry.isDirectory() ? 0755 : 0644);
      }
    }
  }

  @Test
  void aNewVersionSharesEveryLayerButTheModelAndUploadsOnlyThatLayer() throws Exception {
    ImageRef first = builder.build(request("versions", "clicks", 1));
    int requestsBefore = images.requestCount();
    List<ImageBuildEvent> events = new ArrayList<>();

    ImageRef second = builder.build(request("versions", "clicks", 2), events::add);

    List<String> firstLayers = images.manifest("versions", first.digest()).layers();
    List<String> secondLayers = images.manifest("versions", second.digest()).layers();
    assertThat(second.digest()).isNotEqualTo(first.digest());
    assertThat(secondLayers.subList(0, 3)).isEqualTo(firstLayers.subList(0, 3));
    assertThat(secondLayers.get(3)).isNotEqualTo(firstLayers.get(3));
    List<String> uploadedSecondTime = images.uploadedBlobs("versions", requestsBefore);
    assertThat(uploadedSecondTime).filteredOn(secondLayers::contains).containsExactly(secondLayers.get(3));
    assertThat(events).filteredOn(ImageBuildEvent.BlobAlreadyPresent.class::isInstance)
        .extracting(event -> ((ImageBuildEvent.BlobAlreadyPresent) event).digest())
        .containsExactlyInAnyOrderElementsOf(secondLayers.subList(0, 3));
    assertThat(events).last().isEqualTo(new ImageBuildEvent.Finished(second));
  }

  @Test
  void theSameInputsGiveTheSameDigestInARegistryAndInAnArchive() throws Exception {
    ImageRef first = builder.build(request("again", "clicks", 1));
    int requestsBefore = images.requestCount();
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    ImageRequest sameFilesElsewhere = ImagePackages.request(elsewhere, "clicks", 1,
        ImageTarget.parse(registry.authority() + "/again"), base).withInsecureRegistries(Set.of(registry.authority()));

    ImageRef second = builder.build(sameFilesElsewhere);

    assertThat(second).isEqualTo(first);
    assertThat(images.uploadedBlobs("again", requestsBefore)).isEmpty();
    Path archive = dir.resolve("clicks-1.tar");
    ImageRef archived = builder.build(request("unused", "clicks", 1).withBaseImage(base)
        .withTarget(ImageTarget.parse("oci-archive:" + archive)));
    byte[] firstArchive = Files.readAllBytes(archive);
    ImageRef archivedAgain = builder.build(sameFilesElsewhere.withTarget(ImageTarget.parse("oci-archive:" + archive)));
    assertThat(archived.digest()).isEqualTo(first.digest()).isEqualTo(archivedAgain.digest());
    assertThat(archived.name()).isEqualTo("oci-archive:" + archive);
    assertThat(Files.readAllBytes(archive)).isEqualTo(firstArchive);
    assertThat(TarEntries.read(firstArchive)).containsKeys("oci-layout", "index.json");
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".partial"));
    }
  }

  @Test
  void aMissingBaseImageFailsNamingItAndTagsNothing() throws Exception {
    String missing = registry.authority() + "/base/missing:1";
    ImageRequest request = request("nobase", "clicks", 1).withBaseImage(missing);

    assertThatThrownBy(() -> builder.build(request)).isInstanceOfSatisfying(ImageBuildException.class, e -> {
      assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.BASE_IMAGE_NOT_FOUND);
      assertThat(e.getMessage()).contains("the base image " + missing + " does not exist");
    });
    assertThat(registry.snapshot("nobase", null, null)).isEqualTo("tags of nobase\n");
  }

  @Test
  void anUnreachableRegistryFailsAsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ImageRequest request = request("unused", "clicks", 1).withTarget(ImageTarget.parse("127.0.0.1:" + closedPort
        + "/serving")).withInsecureRegistries(Set.of(registry.authority(), "127.0.0.1:" + closedPort));

    assertThatThrownBy(() -> builder.build(request)).isInstanceOfSatisfying(ImageBuildException.class, e -> {
      assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("cannot reach").contains("127.0.0.1:" + closedPort);
    });
  }

  @Test
  void aRegistryOffTheInsecureListIsNeverReachedOverPlainHttp() throws Exception {
    ImageRequest notListed = request("plain", "clicks", 1).withInsecureRegistries(Set.of());

    assertThatThrownBy(() -> builder.build(notListed)).isInstanceOfSatisfying(ImageBuildException.class, e -> {
      assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.INSECURE_CONNECTION_REFUSED);
      assertThat(e.getMessage()).contains("--insecure-registry " + registry.authority());
    });
    try (DistributionRegistry other = DistributionRegistry.start(dir.resolve("other"))) {
      ImageRequest onlyTargetListed = request("unused", "clicks", 1)
          .withTarget(ImageTarget.parse(other.authority() + "/plain"))
          .withInsecureRegistries(Set.of(other.authority()));

      assertThatThrownBy(() -> builder.build(onlyTargetListed)).isInstanceOfSatisfying(ImageBuildException.class,
          e -> {
            assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.INSECURE_CONNECTION_REFUSED);
            assertThat(e.getMessage()).contains("registry " + registry.authority() + " does not offer verified HTTPS")
                .contains("--insecure-registry " + registry.authority());
          });
      assertThat(other.snapshot("plain", null, null)).isEqualTo("tags of plain\n");
    }
    assertThat(registry.snapshot("plain", null, null)).isEqualTo("tags of plain\n");
  }

  private static Map<String, TarEntries.Entry> files(String layer) throws Exception {
    Map<String, TarEntries.Entry> files = new TreeMap<>();
    TarEntries.read(images.layerTar("serving", layer)).values().stream().filter(entry -> !entry.isDirectory())
        .forEach(entry -> files.put(entry.path().startsWith("/") ? entry.path() : "/" + entry.path(), entry));
    return files;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static Map<String, String> labels(JsonNode container) {
    Map<String, String> labels = new TreeMap<>();
    container.path("Labels").properties().forEach(field -> labels.put(field.getKey(), field.getValue().asText()));
    return labels;
  }
}
