package dev.modelship.controller.image;

import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Real model packages for image tests: a small seeded MLP ({@code input} FP32 [-1, 4] to {@code output} FP32
 * [-1, 2]); a different seed gives different weights, so each version's {@code model.onnx} differs.
 */
final class ImagePackages {
  static final int FEATURES = 4;
  static final Instant PUBLISHED = Instant.parse("2025-05-20T10:15:30Z");

  private ImagePackages() {
  }

  static ModelPackage write(Path dir, String name, long seed, Map<String, Object> serving) throws Exception {
    Files.createDirectories(dir);
    ExampleModels.writeMlp(dir.resolve(ModelPackage.MODEL_FILE), FEATURES, 8, 1, 2, seed);
    new ModelManifest(name, ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), null, List.of(),
        List.of("0", "1"), null, null, null, serving, Map.of()).write(dir.resolve(ModelPackage.MANIFEST_FILE));
    return ModelPackage.fromDirectory(dir);
  }

  static PublishedVersion published(ModelVersionRef ref, ModelPackage pkg, Instant at) {
    return new PublishedVersion(ref, pkg.digest(), pkg.fileDigests(), at);
  }

  /** A request for {@code name:version} (seed = version) to {@code target}, on {@code base}. */
  static ImageRequest request(Path dir, String name, long version, ImageTarget target, String base) throws Exception {
    ModelVersionRef ref = new ModelVersionRef(name, version);
    ModelPackage pkg = write(dir.resolve(name + "-" + version), name, version, Map.of("max_batch_size", 16,
        "dynamic_batching", Map.of("max_queue_delay_microseconds", 100)));
    return ImageRequest.of(published(ref, pkg, PUBLISHED.plusSeconds(version)), pkg, "oci://models.example/models",
        target).withBaseImage(base);
  }
}
