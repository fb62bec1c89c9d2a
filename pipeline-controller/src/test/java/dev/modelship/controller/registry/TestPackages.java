package dev.modelship.controller.registry;

import dev.modelship.controller.examples.ExampleModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small, real model packages for registry tests: a seeded MLP and a manifest; {@code variant} changes the digest. */
final class TestPackages {
  private TestPackages() {
  }

  static Path folder(Path dir, String name, int variant) throws IOException {
    Files.createDirectories(dir);
    ExampleModels.writeMlp(dir.resolve(ModelPackage.MODEL_FILE), 3, 4, 1, 2, 7);
    manifest(name, variant).write(dir.resolve(ModelPackage.MANIFEST_FILE));
    Files.writeString(dir.resolve(ModelPackage.HOLDOUT_FILE), "a,b,c,y\n1,2,3,0\n4,5,6,1\n");
    return dir;
  }

  static ModelPackage pkg(Path dir, String name, int variant) throws IOException, RegistryException {
    return ModelPackage.fromDirectory(folder(dir, name, variant));
  }

  static ModelManifest manifest(String name, int variant) {
    return new ModelManifest(name, ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), "y",
        List.of("a", "b", "c"), List.of("0", "1"), null, null, null, null, Map.of("variant", (double) variant));
  }
}
