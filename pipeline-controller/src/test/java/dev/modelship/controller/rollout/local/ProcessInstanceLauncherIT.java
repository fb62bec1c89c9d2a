package dev.modelship.controller.rollout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.image.BaseImages;
import dev.modelship.controller.image.ImageBuilder;
import dev.modelship.controller.image.ImageRef;
import dev.modelship.controller.image.ImageRequest;
import dev.modelship.controller.image.LocalImageStore;
import dev.modelship.controller.image.RuntimeDistribution;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image built by the real ImageBuilder into the local store, unpacked and run by the launcher as a process of
 * the host JVM, answering a real inference.
 */
class ProcessInstanceLauncherIT {
  @TempDir
  Path dir;

  private ImageRef build(LocalImageStore store, long seed) throws Exception {
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
        .withBaseImage("scratch"));
  }

  @Test
  void runsTheImagesOwnRuntimeAndModelAndStopsIt() throws Exception {
    LocalImageStore store = new LocalImageStore(dir.resolve("images"));
    ImageRef image = build(store, 1);
    ProcessInstanceLauncher launcher = new ProcessInstanceLauncher(store, new ImageUnpacker(dir.resolve("unpacked")),
        dir.resolve("logs"), Duration.ofSeconds(90));
    Instance instance = launcher.start("clicks", LocalImageStore.pinned(image), 0);
    try {
      HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(instance.base() + "/v2/models/clicks/infer")).POST(HttpRequest.BodyPublishers.ofString(
          "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      assertThat(reply.body()).contains("\"model_version\":\"1\"");
    } finally {
      instance.stop(Duration.ofSeconds(5));
    }
    assertThat(Files.readString(Files.list(dir.resolve("logs")).findFirst().orElseThrow())).contains("stopped");
    assertThat(dir.resolve("unpacked").resolve(image.digest().replace(':', '-')).resolve("models/clicks/1/model.onnx"))
        .exists();
  }

  @Test
  void anImageNotInTheStoreOrNotPinnedIsAClearError() throws Exception {
    LocalImageStore store = new LocalImageStore(dir.resolve("images"));
    ProcessInstanceLauncher launcher = new ProcessInstanceLauncher(store, new ImageUnpacker(dir.resolve("unpacked")),
        dir.resolve("logs"), Duration.ofSeconds(10));
    assertThatThrownBy(() -> launcher.start("clicks", LocalImageStore.REPOSITORY + ":clicks-1", 0))
        .hasMessageContaining("not pinned by digest");
    assertThatThrownBy(() -> launcher.start("clicks", LocalImageStore.REPOSITORY + "@sha256:" + "0".repeat(64), 0))
        .hasMessageContaining("is not in the local image store");
  }
}
