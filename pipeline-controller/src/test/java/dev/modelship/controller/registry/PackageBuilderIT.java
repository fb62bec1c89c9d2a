package dev.modelship.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.examples.ClickModel;
import dev.modelship.controller.examples.ExampleModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageBuilderIT {
  private static final ModelManifest.Task CLASSIFICATION = ModelManifest.Task.CLASSIFICATION;

  @TempDir
  Path dir;

  private Path work;
  private PackageBuilder builder;
  private Path model;

  @BeforeEach
  void setUp() throws Exception {
    work = dir.resolve("work");
    builder = new PackageBuilder(work, ArchiveLimits.DEFAULT);
    model = dir.resolve("model.onnx");
    ExampleModels.writeMlp(model, 3, 4, 1, 2, 7);
  }

  @AfterEach
  void everyBuildCleansUpAfterItself() throws Exception {
    if (Files.exists(work)) {
      try (Stream<Path> left = Files.list(work)) {
        assertThat(left).as("temporary folders left in " + work).isEmpty();
      }
    }
  }

  @Test
  void bareModelGetsAManifestFromItsGraphAndTheHoldoutHeader() throws Exception {
    Path holdout = Files.writeString(dir.resolve("data.csv"), "a,b,truth,\"c\"\n1,2,0,3\n");

    try (BuiltPackage built = builder.build(new PackageBuilder.Request(model, "scorer", holdout, CLASSIFICATION,
        "truth"))) {
      ModelManifest manifest = ModelManifest.read(built.pkg().manifestFile());
      assertThat(manifest.name()).isEqualTo("scorer");
      assertThat(manifest.task()).isEqualTo(CLASSIFICATION);
      assertThat(manifest.inputs()).containsExactly("input");
      assertThat(manifest.outputs()).containsExactly("output");
      assertThat(manifest.label()).isEqualTo("truth");
      assertThat(manifest.features()).containsExactly("a", "b", "c");
      assertThat(built.manifest()).isEqualTo(manifest);
      assertThat(built.pkg().fileDigests()).containsEntry(ModelPackage.HOLDOUT_FILE, ModelPackage.sha256(holdout))
          .containsEntry(ModelPackage.MODEL_FILE, ModelPackage.sha256(model));
    }
  }

  @Test
  void bareModelThatRecordsItsFeatureAndClassOrderGetsThoseRatherThanTheHeaderOrder() throws Exception {
    Path clickModel = dir.resolve("clicks.onnx");
    ClickModel trained = ExampleModels.trainClickModel(ClickData.generate(1, 300, 0), 1, clickModel);
    Path holdout = dir.resolve("holdout.csv");
    ClickData.writeCsv(holdout, ClickData.generate(2, 20, 0));

    try (BuiltPackage built = builder.build(new PackageBuilder.Request(clickModel, "clicks", holdout,
        CLASSIFICATION, ClickData.LABEL))) {
      assertThat(trained.featureOrder()).as("the point of the test").isNotEqualTo(ClickData.FEATURES);
      assertThat(built.manifest().features()).isEqualTo(trained.featureOrder());
      assertThat(built.manifest().classes()).isEqualTo(trained.labelOrder());
    }
  }

  @Test
  void bareModelWithoutHoldoutHasNoFeatures() throws Exception {
    try (BuiltPackage built = builder.build(new PackageBuilder.Request(model, "scorer", null,
        ModelManifest.Task.REGRESSION, null))) {
      assertThat(built.manifest().features()).isEmpty();
      assertThat(built.pkg().hasHoldout()).isFalse();
      assertThat(built.manifest().task()).isEqualTo(ModelManifest.Task.REGRESSION);
    }
  }

  @Test
  void bareModelRequestsMissingWhatTheManifestNeedsAreUsageErrors() throws Exception {
    Path holdout = Files.writeString(dir.resolve("data.csv"), "a,b,y\n");

    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(model, "m", null, null, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--task");
    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(model, null, null, CLASSIFICATION, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--name is required");
    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(model, "m", holdout, CLASSIFICATION, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--holdout needs --label");
    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(model, "../m", null, CLASSIFICATION, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid model name");
    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(dir.resolve("absent.onnx"), "m", null,
        CLASSIFICATION, null))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
  }

  @Test
  void aLabelThatIsNotAHoldoutColumnIsRefusedNamingTheColumns() throws Exception {
    Path holdout = Files.writeString(dir.resolve("data.csv"), "a,b,y\n1,2,0\n");

    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(model, "m", holdout, CLASSIFICATION,
        "clicked"))).isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("label 'clicked' is not a column").contains("a, b, y");
        });
  }

  @Test
  void aFileThatIsNotOnnxIsRefusedClearly() throws Exception {
    Path text = Files.writeString(dir.resolve("model.onnx.txt"), "this is a README, not a model\n");
    byte[] noise = new byte[4096];
    new java.util.Random(3).nextBytes(noise);
    Path random = Files.write(dir.resolve("noise.onnx"), noise);
    Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);

    for (Path notOnnx : List.of(text, random, empty)) {
      assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(notOnnx, "m", null, CLASSIFICATION, null)))
          .as(notOnnx.toString())
          .isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
            assertThat(e.getMessage()).contains(notOnnx.getFileName().toString()).contains("is not an ONNX model");
          });
    }
  }

  @Test
  void packageFolderIsCopiedAndItsManifestNameMustMatchTheGivenName() throws Exception {
    Path folder = TestPackages.folder(dir.resolve("pkg"), "clicks", 1);

    try (BuiltPackage built = builder.build(new PackageBuilder.Request(folder, null, null, null, null))) {
      assertThat(built.name()).isEqualTo("clicks");
      assertThat(built.pkg().directory()).isNotEqualTo(folder);
      assertThat(built.pkg().digest()).isEqualTo(ModelPackage.fromDirectory(folder).digest());
    }
    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(folder, "ranker", null, null, null)))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.getMessage())
            .contains("--name is 'ranker'").contains("names its model 'clicks'"));
    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(folder, null, null, CLASSIFICATION, null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("describe a bare model.onnx");
  }

  @Test
  void packageFolderWhoseModelIsNotOnnxIsRefused() throws Exception {
    Path folder = TestPackages.folder(dir.resolve("pkg"), "clicks", 1);
    Files.writeString(folder.resolve(ModelPackage.MODEL_FILE), "not a model");

    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(folder, null, null, null, null)))
        .hasMessageContaining("is not an ONNX model");
  }

  @Test
  void tarGzWithTheFilesInsideOneFolderIsUnpacked() throws Exception {
    Path folder = TestPackages.folder(dir.resolve("pkg"), "clicks", 1);
    Path archive = new TestArchives.Tar().folder("clicks/").file("clicks/model.onnx", folder.resolve("model.onnx"))
        .file("clicks/modelship.yaml", folder.resolve("modelship.yaml"))
        .file("clicks/holdout.csv", folder.resolve("holdout.csv")).writeGzip(dir.resolve("clicks.tar.gz"));

    assertBuildsSamePackageAs(archive, folder);
  }

  @Test
  void tgzWithTheFilesAtItsTopAndPaxNamesIsUnpacked() throws Exception {
    Path folder = TestPackages.folder(dir.resolve("pkg"), "clicks", 1);
    Path archive = new TestArchives.Tar().folder("./")
        .pax("path", "./model.onnx").file("ignored-because-pax-names-it", folder.resolve("model.onnx"))
        .file("./modelship.yaml", folder.resolve("modelship.yaml")).writeGzip(dir.resolve("clicks.tgz"));

    try (BuiltPackage built = builder.build(new PackageBuilder.Request(archive, "clicks", null, null, null))) {
      assertThat(built.pkg().fileDigests().keySet()).containsExactly("model.onnx", "modelship.yaml");
    }
  }

  @Test
  void archivesWrittenByTheSystemTarAndZipToolsAreUnpacked() throws Exception {
    Path parent = Files.createDirectories(dir.resolve("src"));
    Path folder = TestPackages.folder(parent.resolve("clicks"), "clicks", 1);
    Path gnu = dir.resolve("gnu.tar.gz");
    Path pax = dir.resolve("pax.tgz");
    Path zip = dir.resolve("clicks.zip");
    run(parent, "tar", "-czf", gnu.toString(), "clicks");
    run(parent, "tar", "--format=pax", "-czf", pax.toString(), "clicks");
    run(parent, "zip", "-q", "-r", zip.toString(), "clicks");

    for (Path archive : List.of(gnu, pax, zip)) {
      assertBuildsSamePackageAs(archive, folder);
    }
  }

  @Test
  void zipWithTheFilesInsideOneFolderIsUnpacked() throws Exception {
    Path folder = TestPackages.folder(dir.resolve("pkg"), "clicks", 1);
    Path archive = TestArchives.zip(dir.resolve("clicks.zip"), "clicks/", new byte[0],
        "clicks/model.onnx", folder.resolve("model.onnx"), "clicks/modelship.yaml", folder.resolve("modelship.yaml"),
        "clicks/holdout.csv", folder.resolve("holdout.csv"));

    assertBuildsSamePackageAs(archive, folder);
  }

  @Test
  void tarEntriesThatPointOutsideThePackageAreRefused() throws Exception {
    Path folder = TestPackages.folder(dir.resolve("pkg"), "clicks", 1);
    byte[] yaml = Files.readAllBytes(folder.resolve("modelship.yaml"));
    assertRefused(new TestArchives.Tar().file("../modelship.yaml", yaml), "climbs out of the archive with '..'");
    assertRefused(new TestArchives.Tar().file("clicks/../../modelship.yaml", yaml), "'..'");
    assertRefused(new TestArchives.Tar().file("/tmp/modelship.yaml", yaml), "absolute path");
    assertRefused(new TestArchives.Tar().file("C:/modelship.yaml", yaml), "absolute path");
    assertRefused(new TestArchives.Tar().file("clicks\\..\\modelship.yaml", yaml), "backslash");
    assertRefused(new TestArchives.Tar().link("model.onnx", '2', "/etc/passwd"), "is a symbolic link");
    assertRefused(new TestArchives.Tar().link("model.onnx", '1', "/etc/passwd"), "is a hard link");
    assertRefused(new TestArchives.Tar().link("model.onnx", '3', ""), "is a device file");
    assertRefused(new TestArchives.Tar().link("model.onnx", '4', ""), "is a device file");
    assertRefused(new TestArchives.Tar().link("model.onnx", '6', ""), "is a named pipe");
    assertThat(dir.resolve("modelship.yaml")).doesNotExist();
  }

  @Test
  void tarsThatAreNotPlainPackageFoldersAreRefused() throws Exception {
    byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
    assertRefused(new TestArchives.Tar().file("model.onnx", bytes).file("model.onnx", bytes), "appears twice");
    assertRefused(new TestArchives.Tar().file("a/model.onnx", bytes).file("b/modelship.yaml", bytes),
        "outside the package folder 'a'");
    assertRefused(new TestArchives.Tar().file("model.onnx", bytes).file("a/modelship.yaml", bytes),
        "both at the top and inside a folder");
    assertRefused(new TestArchives.Tar().file("a/b/model.onnx", bytes), "unexpected entry 'a/b/model.onnx'");
    assertRefused(new TestArchives.Tar().folder("a/b/"), "nested folder");
    assertRefused(new TestArchives.Tar().file("run.sh", bytes), "unexpected entry 'run.sh'");
  }

  @Test
  void oversizeAndOverfullArchivesAreRefusedBeforeTheyFillTheDisk() throws Exception {
    PackageBuilder small = new PackageBuilder(work, new ArchiveLimits(1000, 1500, 4));
    Path bigEntry = new TestArchives.Tar().fileOfSize("model.onnx", 1001).writeGzip(dir.resolve("big.tar.gz"));
    Path bigTotal = new TestArchives.Tar().fileOfSize("model.onnx", 800).fileOfSize("holdout.csv", 800)
        .writeGzip(dir.resolve("total.tar.gz"));
    Path many = new TestArchives.Tar().folder("a/").folder("a/").folder("a/").folder("a/").folder("a/")
        .writeGzip(dir.resolve("many.tar.gz"));
    Path zipBomb = TestArchives.zip(dir.resolve("bomb.zip"), "model.onnx", new byte[100_000]);

    assertRefusedBy(small, bigEntry, "larger than the limit of 1000 bytes");
    assertRefusedBy(small, bigTotal, "unpacks to more than 1500 bytes");
    assertRefusedBy(small, many, "more than 4 entries");
    assertRefusedBy(small, zipBomb, "larger than the limit of 1000 bytes");
  }

  @Test
  void zipEntriesThatAreLinksOrClimbOutAreRefused() throws Exception {
    Path link = TestArchives.zip(dir.resolve("link.zip"), "model.onnx", "/etc/passwd".getBytes(StandardCharsets.UTF_8));
    TestArchives.setUnixType(link, "model.onnx", 0120000);
    Path fifo = TestArchives.zip(dir.resolve("fifo.zip"), "model.onnx", new byte[0]);
    TestArchives.setUnixType(fifo, "model.onnx", 0010000);
    Path climbing = TestArchives.zip(dir.resolve("climb.zip"), "../model.onnx", new byte[1]);
    Path absolute = TestArchives.zip(dir.resolve("absolute.zip"), "/model.onnx", new byte[1]);

    assertRefusedBy(builder, link, "is a symbolic link");
    assertRefusedBy(builder, fifo, "special file (mode 10000)");
    assertRefusedBy(builder, climbing, "'..'");
    assertRefusedBy(builder, absolute, "absolute path");
  }

  @Test
  void filesThatAreNotTheArchivesTheirNamesPromiseAreRefused() throws Exception {
    Path notGzip = Files.writeString(dir.resolve("plain.tar.gz"), "not compressed");
    Path notTar = dir.resolve("text.tgz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(notTar))) {
      out.write("hello".repeat(200).getBytes(StandardCharsets.UTF_8));
    }
    Path notZip = Files.writeString(dir.resolve("plain.zip"), "not a zip");
    Path emptyTar = new TestArchives.Tar().writeGzip(dir.resolve("empty.tar.gz"));

    assertRefusedBy(builder, notGzip, "not a gzip-compressed tar archive");
    assertRefusedBy(builder, notTar, "not a tar archive");
    assertRefusedBy(builder, notZip, "not a zip archive");
    assertRefusedBy(builder, emptyTar, "it holds no model.onnx");
  }

  private void assertBuildsSamePackageAs(Path archive, Path folder) throws Exception {
    try (BuiltPackage built = builder.build(new PackageBuilder.Request(archive, "clicks", null, null, null))) {
      assertThat(built.pkg().digest()).as(archive.toString()).isEqualTo(ModelPackage.fromDirectory(folder).digest());
      assertThat(built.name()).isEqualTo("clicks");
    }
  }

  private void assertRefused(TestArchives.Tar tar, String problem) throws Exception {
    Path archive = tar.writeGzip(Files.createTempFile(dir, "hostile", ".tar.gz"));
    assertRefusedBy(builder, archive, problem);
  }

  private static void assertRefusedBy(PackageBuilder builder, Path archive, String problem) {
    assertThatThrownBy(() -> builder.build(new PackageBuilder.Request(archive, null, null, null, null)))
        .as(archive.toString())
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains(archive.getFileName().toString()).contains(problem);
        });
  }

  private static void run(Path workingDirectory, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
