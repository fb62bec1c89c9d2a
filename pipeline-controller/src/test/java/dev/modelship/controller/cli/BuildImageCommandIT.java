package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.image.RuntimeDistribution;
import dev.modelship.controller.image.TestBaseImages;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.oci.DistributionRegistry;
import dev.modelship.controller.registry.oci.OciModelRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code modelship build-image} end to end: a version from the filesystem registry, pushed to a real registry. */
class BuildImageCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path shared;
  static DistributionRegistry registry;
  static String base;
  static Map<String, String> env;
  static ModelshipHome home;

  @BeforeAll
  static void setUp() throws Exception {
    registry = DistributionRegistry.start(shared.resolve("registry"));
    base = TestBaseImages.tiny(registry, shared.resolve("base"));
    home = new ModelshipHome(shared.resolve("home"));
    Path pkg = Files.createDirectories(shared.resolve("package"));
    ExampleModels.writeMlp(pkg.resolve(ModelPackage.MODEL_FILE), 4, 8, 1, 2, 1);
    new ModelManifest("clicks", ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), null,
        List.of(), List.of("0", "1"), null, null, null, Map.of("max_batch_size", 8), Map.of())
        .write(pkg.resolve(ModelPackage.MANIFEST_FILE));
    new FileSystemModelRegistry(home.registry()).publish(new ModelVersionRef("clicks", 1),
        ModelPackage.fromDirectory(pkg));
    RuntimeDistribution runtime = RuntimeDistribution.locate(Map.of(), Path.of(""),
        RuntimeDistribution.controllerCode());
    env = Map.of(RuntimeDistribution.DIR_ENV, runtime.directory().toString());
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static CommandRun buildImage(Map<String, String> environment, String... args) {
    return CommandRun.of(new BuildImageCommand(new RegistryAccess(home, environment, OciModelRegistry::open),
        environment, null), args);
  }

  @Test
  void printsTheImageByDigestAndShowsTheLayerPushes() throws Exception {
    CommandRun run = buildImage(env, "clicks:1", "--to", registry.authority() + "/serving", "--base", base,
        "--insecure-registry", registry.authority(), "--tag", "candidate");

    assertThat(run.exitCode()).as(run.err()).isZero();
    HttpResponse<String> manifest = registry.get("/v2/serving/manifests/clicks-1",
        "application/vnd.oci.image.manifest.v1+json", null, null);
    String digest = manifest.headers().firstValue("Docker-Content-Digest").orElseThrow();
    assertThat(run.out()).isEqualTo(registry.authority() + "/serving@" + digest + "\n");
    assertThat(run.err()).contains("building clicks:1 on " + base + " -> " + registry.authority() + "/serving")
        .containsPattern("pushing sha256:[0-9a-f]{12} \\([0-9.]+ MB\\)").contains("progress 100%")
        .contains("built " + registry.authority() + "/serving:clicks-1 (" + digest + ")");
    assertThat(registry.get("/v2/serving/manifests/candidate", "application/vnd.oci.image.manifest.v1+json", null,
        null).headers().firstValue("Docker-Content-Digest")).contains(digest);

    CommandRun again = buildImage(env, "clicks:1", "--to", registry.authority() + "/serving", "--base", base,
        "--insecure-registry", registry.authority());
    assertThat(again.out()).isEqualTo(run.out());
    assertThat(again.err()).contains("already in the registry").doesNotContain("pushing sha256");
  }

  @Test
  void writesAnOciArchiveAndPrintsJson() throws Exception {
    Path archive = shared.resolve("clicks-1.tar");
    Map<String, String> insecureFromEnvironment = new java.util.HashMap<>(env);
    insecureFromEnvironment.put(BuildImageCommand.INSECURE_ENV, "example.invalid:5000, " + registry.authority());

    CommandRun run = buildImage(insecureFromEnvironment, "clicks:1", "--to", "oci-archive:" + archive, "--base", base,
        "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode image = JSON.readTree(run.out());
    assertThat(image.path("name").asText()).isEqualTo("oci-archive:" + archive);
    assertThat(image.path("tag").asText()).isEqualTo("clicks-1");
    assertThat(image.path("pinned").asText()).isEqualTo("oci-archive:" + archive + "@" + image.path("digest").asText());
    assertThat(archive).isRegularFile();
  }

  @Test
  void aVersionNotInTheRegistryIsNotBuilt() {
    CommandRun run = buildImage(env, "clicks:9", "--to", registry.authority() + "/serving", "--base", base,
        "--insecure-registry", registry.authority());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("error: clicks:9 is not in " + home.registry() + "\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aTargetWithATagIsAUsageError() {
    CommandRun run = buildImage(env, "clicks:1", "--to", registry.authority() + "/serving:latest");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("names a tag or digest; give the repository only");
  }

  @Test
  void gpuNeedsTheGpuBuildOfTheRuntime() {
    CommandRun run = buildImage(env, "clicks:1", "--to", registry.authority() + "/serving", "--gpu");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("--gpu needs the serving runtime built with -Pgpu (onnxruntime_gpu)");
  }

  @Test
  void aMissingRuntimeIsNamedWithWhereToSetIt() {
    CommandRun run = buildImage(Map.of(RuntimeDistribution.DIR_ENV, shared.resolve("nowhere").toString()),
        "clicks:1", "--to", registry.authority() + "/serving");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no serving runtime in " + shared.resolve("nowhere"))
        .contains("serving-runtime.jar is missing");
  }
}
