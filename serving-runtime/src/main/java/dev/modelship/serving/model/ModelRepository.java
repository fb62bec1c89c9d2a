package dev.modelship.serving.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model repository laid out like Triton's: {@code DIR/<model>/<version>/model.onnx}, with optional
 * {@code model.yaml} in the model folder and in each version folder. Finding what to serve is separate from
 * loading it, so a bad layout is reported before any ONNX Runtime session is created.
 */
public final class ModelRepository {
  public static final String MODEL_FILE = "model.onnx";
  private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

  private final Path root;

  public ModelRepository(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** One version to serve: where its files are and its merged config. */
  public record ModelSource(String name, long version, Path directory, ModelConfig config) {
    public Path modelFile() {
      return directory.resolve(MODEL_FILE);
    }
  }

  /** Every version to serve, per the version policy of each model, sorted by name then version. */
  public List<ModelSource> scan() throws ModelLoadException {
    if (!Files.isDirectory(root)) {
      throw new ModelLoadException("model repository " + root + " is not a directory");
    }
    List<ModelSource> sources = new ArrayList<>();
    for (Path modelDir : children(root)) {
      String name = modelDir.getFileName().toString();
      if (!Files.isDirectory(modelDir) || name.startsWith(".") || name.equals("lost+found")) {
        continue;
      }
      if (!ModelNames.isValidName(name)) {
        throw new ModelLoadException("model folder '" + name + "' in " + root
            + " is not a valid model name (letters, digits, '_', '-', '.'; starting with a letter or digit)");
      }
      sources.addAll(scanModel(name, modelDir));
    }
    if (sources.isEmpty()) {
      throw new ModelLoadException("no models in " + root + " (expected " + root + "/<model>/<version>/" + MODEL_FILE + ")");
    }
    return sources;
  }

  private List<ModelSource> scanModel(String name, Path modelDir) throws ModelLoadException {
    ModelConfig modelConfig = ModelConfig.read(modelDir.resolve(ModelConfig.FILE_NAME));
    TreeMap<Long, Path> versions = new TreeMap<>();
    for (Path versionDir : children(modelDir)) {
      String folder = versionDir.getFileName().toString();
      if (!Files.isDirectory(versionDir) || folder.startsWith(".")) {
        continue;
      }
      Optional<Long> version = ModelNames.parseVersion(folder);
      if (version.isEmpty()) {
        LOG.warn("ignoring {}: version folders are numbers such as 1, 2, 3", versionDir);
        continue;
      }
      if (!Files.isRegularFile(versionDir.resolve(MODEL_FILE))) {
        throw new ModelLoadException("model '" + name + "' version " + folder + " has no " + MODEL_FILE
            + " in " + versionDir);
      }
      versions.put(version.get(), versionDir);
    }
    if (versions.isEmpty()) {
      throw new ModelLoadException("model '" + name + "' has no version folders in " + modelDir
          + " (expected " + modelDir + "/1/" + MODEL_FILE + ")");
    }
    List<ModelSource> sources = new ArrayList<>();
    for (long version : selectVersions(name, modelConfig.effectiveVersionPolicy(), versions)) {
      Path versionDir = versions.get(version);
      ModelConfig versionConfig = ModelConfig.read(versionDir.resolve(ModelConfig.FILE_NAME));
      if (versionConfig.versionPolicy() != null) {
        throw new ModelLoadException(versionDir.resolve(ModelConfig.FILE_NAME)
            + ": version_policy belongs in the model folder's " + ModelConfig.FILE_NAME + ", not a version's");
      }
      sources.add(new ModelSource(name, version, versionDir, modelConfig.overriddenBy(versionConfig)));
    }
    return sources;
  }

  private static List<Long> selectVersions(String name, ModelConfig.VersionPolicy policy, TreeMap<Long, Path> found)
      throws ModelLoadException {
    switch (policy.kind()) {
      case LATEST:
        return List.of(found.lastKey());
      case ALL:
        return List.copyOf(found.keySet());
      default:
        for (long wanted : policy.versions()) {
          if (!found.containsKey(wanted)) {
            throw new ModelLoadException("model '" + name + "': version_policy asks for version " + wanted
                + " but the repository has only " + found.keySet());
          }
        }
        return policy.versions().stream().distinct().sorted().toList();
    }
  }

  private static List<Path> children(Path dir) throws ModelLoadException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new ModelLoadException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
