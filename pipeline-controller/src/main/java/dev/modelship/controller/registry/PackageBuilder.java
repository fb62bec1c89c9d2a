package dev.modelship.controller.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what {@code modelship push} was given into a {@link ModelPackage} in a temporary folder: a package folder
 * or an archive of one is copied or unpacked and checked; a bare ONNX file gets a {@code modelship.yaml} written from
 * its graph, the options and the holdout's header.
 *
 * <p>Mistakes in the request itself (missing or contradictory options) are {@link IllegalArgumentException}s; a
 * package that is wrong (not ONNX, a bad manifest, a hostile archive) is a {@link RegistryException} of kind
 * {@link RegistryException.Kind#INVALID}.
 */
public final class PackageBuilder {
  /**
   * ONNX metadata keys in which a training job records the input's column order and the output's class order
   * (the example click model writes them); when present they beat the holdout's column order.
   */
  public static final String FEATURE_ORDER_METADATA = "modelship.feature_order";
  public static final String LABEL_ORDER_METADATA = "modelship.label_order";

  /**
   * What push was given.
   *
   * @param source a package folder, a {@code .tar.gz}/{@code .tgz}/{@code .zip} of one, or a bare ONNX file
   * @param name the model name; required for a bare ONNX file, otherwise it must match the manifest when given
   * @param holdout bare ONNX file only: the holdout CSV (copied as {@code holdout.csv}); may be null
   * @param task bare ONNX file only; required there
   * @param label bare ONNX file only: the holdout column with the truth; required with a holdout
   */
  public record Request(Path source, String name, Path holdout, ModelManifest.Task task, String label) {
  }

  private final Path workFolder;
  private final ArchiveLimits limits;

  public PackageBuilder(Path workFolder, ArchiveLimits limits) {
    this.workFolder = workFolder;
    this.limits = limits;
  }

  public BuiltPackage build(Request request) throws RegistryException {
    if (!Files.exists(request.source())) {
      throw new IllegalArgumentException(request.source() + " does not exist");
    }
    Path source = realPath(request.source());
    if (request.name() != null && !dev.modelship.serving.model.ModelNames.isValidName(request.name())) {
      throw new IllegalArgumentException("'" + request.name() + "' is not a valid model name (letters, digits, "
          + "'_', '-', '.', starting with a letter or digit)");
    }
    boolean bareModel = !Files.isDirectory(source) && !PackageArchive.isArchive(source);
    if (!bareModel && (request.holdout() != null || request.task() != null || request.label() != null)) {
      throw new IllegalArgumentException("--holdout, --task and --label describe a bare model.onnx; " + source
          + " is a package with its own modelship.yaml");
    }
    Path temporary = createTemporaryFolder();
    Path folder = temporary.resolve("package");
    try {
      Files.createDirectory(folder);
      if (Files.isDirectory(source)) {
        copyPackageFolder(source, folder);
      } else if (!bareModel) {
        PackageArchive.extract(source, folder, limits);
      } else {
        writeBareModelPackage(request, source, folder);
      }
      ModelPackage pkg = ModelPackage.fromDirectory(folder);
      ModelManifest manifest = ModelManifest.read(pkg.manifestFile());
      OnnxGraphInfo.read(pkg.modelFile());
      if (request.name() != null && !request.name().equals(manifest.name())) {
        throw new RegistryException(RegistryException.Kind.INVALID, "--name is '" + request.name() + "' but "
            + source + " names its model '" + manifest.name() + "' in " + ModelPackage.MANIFEST_FILE);
      }
      return new BuiltPackage(pkg, manifest, temporary);
    } catch (IOException e) {
      RegistryException failure = new RegistryException(RegistryException.Kind.INVALID, "cannot read " + source
          + ": " + e, e);
      DurableFiles.deleteTreeAfterFailure(temporary, failure);
      throw failure;
    } catch (RegistryException | RuntimeException e) {
      DurableFiles.deleteTreeAfterFailure(temporary, e);
      throw e;
    }
  }

  private static Path realPath(Path path) throws RegistryException {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot read " + path + ": " + e, e);
    }
  }

  private Path createTemporaryFolder() throws RegistryException {
    try {
      Files.createDirectories(workFolder);
      return Files.createTempDirectory(workFolder, "modelship-push-");
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "cannot create a temporary folder in "
          + workFolder + ": " + e, e);
    }
  }

  private static void copyPackageFolder(Path source, Path folder) throws RegistryException, IOException {
    ModelPackage original = ModelPackage.fromDirectory(source);
    for (String name : original.fileDigests().keySet()) {
      Files.copy(original.file(name), folder.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void writeBareModelPackage(Request request, Path source, Path folder)
      throws RegistryException, IOException {
    if (request.name() == null) {
      throw new IllegalArgumentException("--name is required for a bare model.onnx");
    }
    if (request.task() == null) {
      throw new IllegalArgumentException("--task (classification or regression) is required for a bare model.onnx");
    }
    if (request.holdout() != null && request.label() == null) {
      throw new IllegalArgumentException("--holdout needs --label: the column of " + request.holdout()
          + " that holds the truth");
    }
    OnnxGraphInfo graph = OnnxGraphInfo.read(source);
    List<String> features = List.of();
    if (request.holdout() != null) {
      features = features(graph.metadata(), holdoutHeader(request.holdout()), request.label(), request.holdout());
      Files.copy(request.holdout(), folder.resolve(ModelPackage.HOLDOUT_FILE));
    }
    List<String> classes = request.task() == ModelManifest.Task.CLASSIFICATION
        ? listMetadata(graph.metadata(), LABEL_ORDER_METADATA) : List.of();
    Files.copy(source, folder.resolve(ModelPackage.MODEL_FILE));
    new ModelManifest(request.name(), request.task(), graph.inputs(), graph.outputs(), request.label(), features,
        classes, null, null, null, null, null).write(folder.resolve(ModelPackage.MANIFEST_FILE));
  }

  /** The model's recorded input order when it has one, otherwise the holdout's columns without the label. */
  private static List<String> features(Map<String, String> metadata, List<String> header, String label, Path holdout)
      throws RegistryException {
    if (!header.contains(label)) {
      throw new RegistryException(RegistryException.Kind.INVALID, "label '" + label + "' is not a column of "
          + holdout + " (columns: " + String.join(", ", header) + ")");
    }
    List<String> recorded = listMetadata(metadata, FEATURE_ORDER_METADATA);
    if (recorded.isEmpty()) {
      return header.stream().filter(column -> !column.equals(label)).toList();
    }
    for (String feature : recorded) {
      if (!header.contains(feature) || feature.equals(label)) {
        throw new RegistryException(RegistryException.Kind.INVALID, "the model's " + FEATURE_ORDER_METADATA
            + " names feature '" + feature + "', which is not a feature column of " + holdout + " (columns: "
            + String.join(", ", header) + ")");
      }
    }
    return recorded;
  }

  private static List<String> listMetadata(Map<String, String> metadata, String key) {
    String value = metadata.get(key);
    return value == null || value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::strip).toList();
  }

  /** The column names of a CSV file's first line; double-quoted names may contain commas. */
  static List<String> holdoutHeader(Path holdout) throws RegistryException, IOException {
    String line;
    try (BufferedReader reader = Files.newBufferedReader(holdout, StandardCharsets.UTF_8)) {
      line = reader.readLine();
    }
    if (line == null || line.isBlank()) {
      throw new RegistryException(RegistryException.Kind.INVALID, holdout + " is empty; a holdout CSV starts with "
          + "a header line naming its columns");
    }
    if (line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    List<String> columns = splitCsvLine(line);
    Set<String> seen = new HashSet<>();
    for (String column : columns) {
      if (column.isEmpty() || !seen.add(column)) {
        throw new RegistryException(RegistryException.Kind.INVALID, holdout + ": header has an empty or repeated "
            + "column name: " + line);
      }
    }
    return columns;
  }

  private static List<String> splitCsvLine(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        field.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString().strip());
    return fields;
  }
}
