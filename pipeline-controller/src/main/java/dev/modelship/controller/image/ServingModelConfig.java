package dev.modelship.controller.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.serving.model.ModelConfig;
import dev.modelship.serving.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The serving runtime's {@code model.yaml} for the image, from the {@code serving:} block of {@code modelship.yaml}.
 * Written with sorted keys so the same block always gives the same bytes (and the model layer the same digest), and
 * read back with the runtime's own parser so a bad block fails the build, not the pod.
 */
final class ServingModelConfig {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ServingModelConfig() {
  }

  /** Writes {@code model.yaml} into {@code folder}; empty when the manifest has no serving block. */
  static Optional<Path> write(ModelManifest manifest, Path folder) throws ImageBuildException {
    Map<String, Object> serving = manifest.serving();
    if (serving.isEmpty()) {
      return Optional.empty();
    }
    Path file = folder.resolve(ModelConfig.FILE_NAME);
    try {
      Files.write(file, YAML.writeValueAsBytes(serving));
    } catch (IOException e) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "cannot write the serving model.yaml to "
          + folder + ": " + e.getMessage(), e);
    }
    ModelConfig config;
    try {
      config = ModelConfig.read(file);
    } catch (ModelLoadException e) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "the serving block of modelship.yaml is not "
          + "a valid serving model.yaml: " + e.getMessage().replace(file.toString(), "serving"), e);
    }
    if (config.versionPolicy() != null) {
      throw new ImageBuildException(ImageBuildException.Kind.INVALID, "serving.version_policy in modelship.yaml has "
          + "no meaning in a serving image, which holds exactly one version: remove it");
    }
    return Optional.of(file);
  }
}
