package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.registry.FileSystemModelRegistry;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryLocation;
import dev.modelship.controller.registry.RegistryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushCommandIT {
  @TempDir
  Path dir;

  private ModelshipHome home;
  private Path registryRoot;
  private Path model;
  private Path holdout;

  @BeforeEach
  void setUp() throws Exception {
    home = new ModelshipHome(dir.resolve("home"));
    registryRoot = dir.resolve("registry");
    model = dir.resolve("model.onnx");
    ExampleModels.writeMlp(model, 3, 4, 1, 2, 7);
    holdout = Files.writeString(dir.resolve("data.csv"), "a,b,c,y\n1,2,3,0\n4,5,6,1\n");
  }

  @Test
  void pushesABareModelWithItsHoldoutAsVersionOneAndSaysSo() throws Exception {
    RegistryCommandRun run = push(model.toString(), "--name", "clicks", "--task", "classification", "--holdout",
        holdout.toString(), "--label", "y", "--registry", registryRoot.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    PublishedVersion stored = registry().find(ModelVersionRef.parse("clicks:1")).orElseThrow();
    assertThat(run.out()).contains("pushed clicks:1 (new) to " + registryRoot).contains("digest " + stored.digest());
    ModelPackage fetched = registry().fetch(stored.ref(), dir.resolve("fetched"));
    ModelManifest manifest = ModelManifest.read(fetched.manifestFile());
    assertThat(manifest.features()).containsExactly("a", "b", "c");
    assertThat(manifest.label()).isEqualTo("y");
    assertThat(fetched.hasHoldout()).isTrue();
  }

  @Test
  void pushingTheSameModelAgainChangesNothingAndNewContentGetsTheNextVersion() throws Exception {
    String[] args = {model.toString(), "--name", "clicks", "--task", "classification", "--registry",
        registryRoot.toString()};
    push(args);

    RegistryCommandRun again = push(args);
    RegistryCommandRun withHoldout = push(model.toString(), "--name", "clicks", "--task", "classification",
        "--holdout", holdout.toString(), "--label", "y", "--registry", registryRoot.toString());

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("clicks:1 is already in").contains("(unchanged)");
    assertThat(withHoldout.out()).contains("pushed clicks:2 (new)");
    assertThat(registry().versions("clicks")).hasSize(2);
  }

  @Test
  void otherContentUnderAnExplicitVersionIsAConflictThatChangesNothing() throws Exception {
    push(model.toString(), "--name", "clicks", "--task", "classification", "--version", "3", "--registry",
        registryRoot.toString());
    String before = listing(registryRoot);

    RegistryCommandRun conflict = push(model.toString(), "--name", "clicks", "--task", "regression", "--version",
        "3", "--registry", registryRoot.toString());

    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err()).startsWith("error: clicks:3 is already published with digest sha256:")
        .contains("this package has digest sha256:");
    assertThat(listing(registryRoot)).isEqualTo(before);
  }

  @Test
  void pushesAPackageArchiveUnderTheNameInItsManifest() throws Exception {
    Path parent = Files.createDirectories(dir.resolve("src/ranker"));
    Files.copy(model, parent.resolve("model.onnx"));
    new ModelManifest("ranker", ModelManifest.Task.REGRESSION, List.of("input"), List.of("output"), null, null,
        null, null, null, null, null, null).write(parent.resolve("modelship.yaml"));
    Path archive = dir.resolve("ranker.tgz");
    Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", dir.resolve("src").toString(),
        "ranker").start();
    assertThat(tar.waitFor()).isZero();

    RegistryCommandRun run = push(archive.toString(), "--registry", "file://" + registryRoot);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("pushed ranker:1 (new)");
  }

  @Test
  void withoutARegistryOptionTheEnvironmentAndThenTheHomeRegistryAreUsed() throws Exception {
    String[] args = {model.toString(), "--name", "clicks", "--task", "classification"};

    RegistryCommandRun toHome = RegistryCommandRun.of(new PushCommand(new RegistryAccess(home, Map.of(), null)),
        args);
    Path fromEnvironment = dir.resolve("env-registry");
    RegistryCommandRun toEnvironment = RegistryCommandRun.of(new PushCommand(new RegistryAccess(home,
        Map.of(RegistryAccess.REGISTRY_ENV, fromEnvironment.toString()), null)), args);

    assertThat(toHome.exitCode()).as(toHome.err()).isZero();
    assertThat(new FileSystemModelRegistry(home.registry()).models()).containsExactly("clicks");
    assertThat(toEnvironment.exitCode()).as(toEnvironment.err()).isZero();
    assertThat(new FileSystemModelRegistry(fromEnvironment).models()).containsExactly("clicks");
  }

  @Test
  void anOciRegistryIsOpenedThroughTheBackendWithCredentialsFromTheEnvironment() throws Exception {
    List<RegistryLocation> locations = new ArrayList<>();
    List<RegistryOptions> options = new ArrayList<>();
    RegistryAccess access = new RegistryAccess(home, Map.of(RegistryAccess.USERNAME_ENV, "robot",
        RegistryAccess.PASSWORD_ENV, "s3cret", RegistryAccess.INSECURE_HTTP_ENV, "true"), (location, opts) -> {
          locations.add(location);
          options.add(opts);
          return new FileSystemModelRegistry(registryRoot);
        });

    RegistryCommandRun run = RegistryCommandRun.of(new PushCommand(access), model.toString(), "--name", "clicks",
        "--task", "classification", "--registry", "oci://localhost:5000/models");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(locations).containsExactly(RegistryLocation.oci("localhost", 5000, "models"));
    assertThat(options).singleElement().satisfies(opts -> {
      assertThat(opts.username()).isEqualTo("robot");
      assertThat(opts.password()).isEqualTo("s3cret");
      assertThat(opts.allowInsecureHttp()).isTrue();
    });
  }

  @Test
  void wrongUsageExitsWithTwoAndAClearMessage() {
    String registry = registryRoot.toString();
    assertUsageError(push(model.toString(), "--name", "clicks", "--registry", registry), "--task");
    assertUsageError(push(model.toString(), "--name", "clicks", "--task", "ranking", "--registry", registry),
        "--task must be classification or regression, got 'ranking'");
    assertUsageError(push(model.toString(), "--task", "regression", "--registry", registry), "--name is required");
    assertUsageError(push(model.toString(), "--name", "clicks", "--task", "regression", "--version", "0",
        "--registry", registry), "--version must be 1 or more");
    assertUsageError(push(model.toString(), "--name", "clicks", "--task", "regression", "--registry",
        "http://localhost/models"), "scheme 'http'");
    assertUsageError(push(model.toString(), "--name", "clicks", "--task", "regression", "--registry",
        "oci://localhost:5000/models"), "no OCI backend");
    assertUsageError(push(dir.resolve("absent.onnx").toString(), "--name", "clicks", "--task", "regression",
        "--registry", registry), "does not exist");
    assertThat(push("--name", "clicks").exitCode()).isEqualTo(2);
    assertThat(registryRoot).doesNotExist();
  }

  @Test
  void aFileThatIsNotAModelExitsWithOneAndPublishesNothing() throws Exception {
    Path notOnnx = Files.writeString(dir.resolve("notes.onnx"), "meeting notes");

    RegistryCommandRun run = push(notOnnx.toString(), "--name", "clicks", "--task", "regression", "--registry",
        registryRoot.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: ").contains("notes.onnx is not an ONNX model");
    assertThat(registry().models()).isEmpty();
  }

  @Test
  void helpDescribesTheModelVersionOption() {
    RegistryCommandRun run = push("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--version=V").contains("Version number").contains("--help");
  }

  private RegistryCommandRun push(String... args) {
    return RegistryCommandRun.of(new PushCommand(new RegistryAccess(home, Map.of(), null)), args);
  }

  private FileSystemModelRegistry registry() {
    return new FileSystemModelRegistry(registryRoot);
  }

  private static void assertUsageError(RegistryCommandRun run, String message) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(message);
  }

  private static String listing(Path root) throws Exception {
    StringBuilder listing = new StringBuilder();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted().toList()) {
        listing.append(root.relativize(path)).append(' ')
            .append(Files.isRegularFile(path) ? ModelPackage.sha256(path) : "dir").append('\n');
      }
    }
    return listing.toString();
  }
}
