package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The three layers Modelship adds to the base image, from least to most often changed, so that a new model version
 * uploads only the last: the runtime's dependency jars, the runtime jar, the model. Every file gets the same
 * modification time, permissions and owner wherever and whenever it is built, so a layer's digest depends on the
 * files' bytes only. Files belong to root and are read-only for the serving user.
 */
final class ImageLayers {
  static final String DEPENDENCIES = "dependencies";
  static final String RUNTIME = "runtime";
  static final String MODEL = "model";
  /** Jib's reproducible default, 1970-01-01T00:00:01Z (0 reads as "unset" to some tools). */
  static final Instant MODIFICATION_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;
  static final String OWNERSHIP = "0:0";
  static final FilePermissions READ_ONLY = FilePermissions.fromOctalString("644");

  private ImageLayers() {
  }

  static List<FileEntriesLayer> of(RuntimeDistribution runtime, Path modelFile, Optional<Path> servingConfig,
                                   String modelDirectory) {
    AbsoluteUnixPath app = AbsoluteUnixPath.get(ServingContainer.APP_DIR);
    FileEntriesLayer.Builder dependencies = FileEntriesLayer.builder().setName(DEPENDENCIES);
    List<String> relative = runtime.dependencyPaths();
    for (int i = 0; i < relative.size(); i++) {
      dependencies.addEntry(entry(runtime.dependencies().get(i), app.resolve(relative.get(i))));
    }
    FileEntriesLayer runtimeJar = FileEntriesLayer.builder().setName(RUNTIME)
        .addEntry(entry(runtime.jar(), app.resolve(RuntimeDistribution.JAR))).build();
    AbsoluteUnixPath modelFolder = AbsoluteUnixPath.get(modelDirectory);
    FileEntriesLayer.Builder model = FileEntriesLayer.builder().setName(MODEL)
        .addEntry(entry(modelFile, modelFolder.resolve("model.onnx")));
    servingConfig.ifPresent(file -> model.addEntry(entry(file, modelFolder.resolve("model.yaml"))));
    return List.of(dependencies.build(), runtimeJar, model.build());
  }

  private static FileEntry entry(Path source, AbsoluteUnixPath target) {
    return new FileEntry(source, target, READ_ONLY, MODIFICATION_TIME, OWNERSHIP);
  }
}
