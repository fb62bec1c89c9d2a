package dev.modelship.controller.rollout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.image.BaseImages;
import dev.modelship.controller.image.ImageBuilder;
import dev.modelship.controller.image.ImageRef;
import dev.modelship.controller.image.ImageRequest;
import dev.modelship.controller.image.JreBaseImage;
import dev.modelship.controller.image.LocalImageStore;
import dev.modelship.controller.image.RuntimeDistribution;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.oci.DistributionRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The podman engine runs a real serving image, built by the real ImageBuilder on a Java 17 base (Debian packages,
 * see {@link JreBaseImage}) into the local image store, as a podman container: it answers a V2 inference through
 * the published port with what ONNX Runtime computes in-process, drains and is gone once stopped, and a new
 * launcher on the same home removes what a killed controller left running. Needs podman, runc and debootstrap.
 */
class PodmanInstanceLauncherIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final float[][] ROW = {{1f, 2f, 3f, 4f}};
  private static final Duration READY = Duration.ofSeconds(90);

  @TempDir
  static Path shared;
  private static LocalImageStore store;
  private static ImageRef jreImage;
  private static Path model;

  @TempDir
  Path dir;
  private final List<Instance> started = new ArrayList<>();
  private final List<String> containers = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void buildImageOnAJavaBase() throws Exception {
    store = new LocalImageStore(shared.resolve("images"));
    try (DistributionRegistry registry = DistributionRegistry.start(shared.resolve("registry"))) {
      String base = JreBaseImage.pushedTo(registry);
      jreImage = build(shared, store, 1, base, Set.of(registry.authority()));
    }
    model = shared.resolve("pkg-1").resolve(ModelPackage.MODEL_FILE);
  }

  @AfterAll
  static void removeLoadedImage() throws Exception {
    if (jreImage != null) {
      String id = LocalImageStore.config(store.find(jreImage.digest()).orElseThrow()).digest().substring(7);
      podmanQuietly("rmi", "--force", id);
    }
  }

  @AfterEach
  void removeContainers() throws Exception {
    started.forEach(instance -> instance.stop(Duration.ZERO));
    for (String container : containers) {
      podmanQuietly("rm", "--force", "--ignore", "--time", "0", container);
    }
  }

  private static ImageRef build(Path dir, LocalImageStore store, long seed, String base, Set<String> insecure)
      throws Exception {
    Path packageDir = Files.createDirectories(dir.resolve("pkg-" + seed));
    ExampleModels.writeMlp(packageDir.resolve(ModelPackage.MODEL_FILE), 4, 8, 1, 2, seed);
    new ModelManifest("clicks", ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), null,
        List.of(), List.of("0", "1"), null, null, null, Map.of(), Map.of())
        .write(packageDir.resolve(ModelPackage.MANIFEST_FILE));
    ModelPackage pkg = ModelPackage.fromDirectory(packageDir);
    PublishedVersion published = new PublishedVersion(new ModelVersionRef("clicks", seed), pkg.digest(),
        pkg.fileDigests(), Instant.parse("2026-01-01T00:00:00Z"));
    ImageBuilder builder = new ImageBuilder(RuntimeDistribution.locate(Map.of(), Path.of(""),
        RuntimeDistribution.controllerCode()), new BaseImages(null, null), Map.of(), dir.resolve("home"),
        dir.resolve("jib-cache"), "test");
    return builder.build(ImageRequest.of(published, pkg, "test", store.targetFor("clicks-" + seed))
        .withBaseImage(base).withInsecureRegistries(insecure));
  }

  private PodmanInstanceLauncher launcher(Path home) throws Exception {
    return PodmanInstanceLauncher.create(store, home, home.resolve("logs"), PodmanInstanceLauncher.Options.DEFAULTS,
        System.getenv(), READY);
  }

  private Instance start(PodmanInstanceLauncher launcher, int index) throws Exception {
    Instance instance = launcher.start("clicks", LocalImageStore.pinned(jreImage), index);
    containers.add(instance.name());
    return instance;
  }

  @Test
  void runsTheImageAsAContainerThatAnswersAV2InferenceAndIsGoneOnceStopped() throws Exception {
    Path home = dir.resolve("home");
    Instance instance = start(launcher(home), 0);
    started.add(instance);

    assertThat(containersLabelled("modelship.dev/app=clicks")).contains(instance.name());
    assertThat(podman("inspect", "--format", "{{.Config.User}} {{.OCIRuntime}}", instance.name()).strip())
        .as("the image's own user, under runc").isEqualTo("65532:65532 /usr/sbin/runc");
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(instance.base()
        + "/v2/models/clicks/infer")).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
        "inputs", List.of(Map.of("name", "input", "shape", List.of(1, 4), "datatype", "FP32", "data", ROW))))))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(reply.body());
    assertThat(body.path("model_version").asText()).isEqualTo("1");
    float[] expected = inProcess(model);
    JsonNode output = body.path("outputs").get(0);
    assertThat(output.path("shape").toString()).isEqualTo("[1,2]");
    for (int i = 0; i < 2; i++) {
      assertThat(output.path("data").get(i).floatValue()).isCloseTo(expected[i], within(1e-6f));
    }
    String metrics = http.send(HttpRequest.newBuilder(instance.metrics()).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(warmUpRequests(metrics)).as("warmed up before it was handed over")
        .isGreaterThanOrEqualTo(InstanceStartup.WARM_UP_REQUESTS);

    instance.stop(Duration.ofSeconds(5));
    started.remove(instance);

    assertThat(containersLabelled("modelship.dev/app=clicks")).doesNotContain(instance.name());
    assertThat(Files.readString(home.resolve("logs").resolve(instance.name() + ".log")))
        .as("SIGTERM let the runtime drain and say so").contains("stopped");
  }

  @Test
  void aNewLauncherRemovesTheContainersAKilledControllerLeftOnItsHomeOnly() throws Exception {
    Path home = dir.resolve("home");
    Instance leftover = start(launcher(home), 0); // its controller "dies": nobody stops it
    String otherHome = PodmanInstanceLauncher.homeLabel(dir.resolve("other-home"));
    String other = podman("run", "--detach", "--rm", "--runtime", "/usr/sbin/runc", "--ulimit", "nofile=1024:1024",
        "--ulimit", "nproc=1000:1000", "--label", PodmanInstanceLauncher.HOME_LABEL + "=" + otherHome,
        "--entrypoint", "sleep", JreBaseImage.PODMAN_NAME, "600").strip();
    containers.add(other);

    PodmanInstanceLauncher restarted = launcher(home);

    assertThat(containersLabelled(PodmanInstanceLauncher.HOME_LABEL + "=" + PodmanInstanceLauncher.homeLabel(home)))
        .isEmpty();
    assertThat(podman("container", "inspect", "--format", "{{.State.Status}}", other).strip())
        .as("another home's container is left alone").isEqualTo("running");
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(leftover.base() + "/v2/health/ready"))
        .build(), HttpResponse.BodyHandlers.discarding())).isInstanceOf(java.io.IOException.class);
    assertThat(restarted.removeLeftovers()).as("nothing left the second time").isEmpty();
  }

  @Test
  void aContainerThatDiesWhileStartingIsAnErrorQuotingItsLog() throws Exception {
    Path home = dir.resolve("home");
    // one process for the container's user: the JVM cannot start its GC threads and exits
    PodmanInstanceLauncher launcher = PodmanInstanceLauncher.create(store, home, home.resolve("logs"),
        new PodmanInstanceLauncher.Options("podman", "/usr/sbin/runc", List.of("nofile=1024:1024", "nproc=1:1")),
        System.getenv(), READY);

    assertThatThrownBy(() -> launcher.start("clicks", LocalImageStore.pinned(jreImage), 0))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining(" exited ")
        .hasMessageContaining("Cannot create worker GC thread").hasMessageNotContaining(" stdout F ");
    assertThat(containersLabelled(PodmanInstanceLauncher.HOME_LABEL + "=" + PodmanInstanceLauncher.homeLabel(home)))
        .isEmpty();
  }

  @Test
  void anImageOnScratchIsRefusedWithWhatToPass() throws Exception {
    ImageRef scratch = build(dir, store, 2, "scratch", Set.of());
    PodmanInstanceLauncher launcher = launcher(dir.resolve("home"));

    assertThatThrownBy(() -> launcher.start("clicks", LocalImageStore.pinned(scratch), 0))
        .hasMessageContaining("was built on --base scratch")
        .hasMessageContaining("--engine podman needs a serving image with a Java runtime: pass --base");
    assertThat(containersLabelled("modelship.dev/home=" + PodmanInstanceLauncher.homeLabel(dir.resolve("home"))))
        .isEmpty();
  }

  private static long warmUpRequests(String metrics) {
    return metrics.lines().filter(line -> line.startsWith("modelship_requests_total{"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static List<String> containersLabelled(String label) throws Exception {
    return podman("ps", "--all", "--filter", "label=" + label, "--format", "{{.Names}}").lines()
        .filter(line -> !line.isBlank()).toList();
  }

  private static String podman(String... args) throws Exception {
    return PodmanCli.locate("podman", System.getenv()).run(Duration.ofMinutes(2), List.of(args));
  }

  private static void podmanQuietly(String... args) {
    try {
      podman(args);
    } catch (Exception e) {
      // cleanup only; what the test asserted stands
    }
  }

  private static float[] inProcess(Path modelFile) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(modelFile.toString());
         OnnxTensor input = OnnxTensor.createTensor(env, ROW);
         OrtSession.Result result = session.run(Map.of("input", input))) {
      return ((float[][]) result.get("output").orElseThrow().getValue())[0];
    }
  }
}
