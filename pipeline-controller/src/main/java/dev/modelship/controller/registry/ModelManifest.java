package dev.modelship.controller.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code modelship.yaml}: what a model version is and what it must achieve. Unknown keys are an error so a typo
 * never silently drops a threshold.
 *
 * <pre>
 * name: clicks
 * task: classification            # classification | regression
 * inputs: [input]                 # ONNX input names
 * outputs: [output]               # ONNX output names; the first is the prediction
 * label: clicked                  # holdout.csv column with the truth
 * features: [hour_of_day, ...]    # holdout.csv columns, in the order of the input's last dimension
 * classes: ["0", "1"]             # classification: the label of each output column
 * thresholds:                     # absolute quality bars on the holdout (all optional)
 *   accuracy_min: 0.70
 *   roc_auc_min: 0.75
 *   log_loss_max: 0.60
 *   rmse_max: 1.5
 *   mae_max: 1.0
 * champion_tolerance: 0.01        # how much worse than the champion a metric may be
 * latency:
 *   p99_ms_max: 5.0               # single-row p99 on CPU
 *   ratio_to_champion_max: 1.5
 * serving: {max_batch_size: 64}   # written to the serving runtime's model.yaml
 * metrics: {accuracy: 0.73}       # what training measured on the holdout (informational)
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ModelManifest(
    String name,
    Task task,
    List<String> inputs,
    List<String> outputs,
    String label,
    List<String> features,
    List<String> classes,
    Thresholds thresholds,
    Double championTolerance,
    Latency latency,
    Map<String, Object> serving,
    Map<String, Double> metrics) {

  public static final double DEFAULT_CHAMPION_TOLERANCE = 0.01;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  public ModelManifest {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    features = features == null ? List.of() : List.copyOf(features);
    classes = classes == null ? List.of() : List.copyOf(classes);
    serving = serving == null ? Map.of() : Map.copyOf(serving);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    thresholds = thresholds == null ? Thresholds.NONE : thresholds;
  }

  /** What the model predicts. */
  public enum Task {
    CLASSIFICATION, REGRESSION;

    @com.fasterxml.jackson.annotation.JsonCreator
    static Task parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("task must be classification or regression, got '" + text + "'");
      }
    }

    @com.fasterxml.jackson.annotation.JsonValue
    String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Absolute quality bars; null means not checked. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Thresholds(Double accuracyMin, Double rocAucMin, Double logLossMax, Double rmseMax, Double maeMax) {
    public static final Thresholds NONE = new Thresholds(null, null, null, null, null);
  }

  /** Single-row CPU latency budget; null means not checked. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Latency(@JsonProperty("p99_ms_max") Double p99MsMax, Double ratioToChampionMax) {
  }

  public double effectiveChampionTolerance() {
    return championTolerance == null ? DEFAULT_CHAMPION_TOLERANCE : championTolerance;
  }

  public static ModelManifest read(Path file) throws RegistryException {
    try {
      return check(file, YAML.readValue(Files.readAllBytes(file), ModelManifest.class));
    } catch (UnrecognizedPropertyException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + ": unknown key '" + e.getPropertyName()
          + "' at " + e.getPathReference());
    } catch (JsonProcessingException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public void write(Path file) throws IOException {
    YAML.writeValue(file.toFile(), this);
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write modelship.yaml", e);
    }
  }

  private static ModelManifest check(Path file, ModelManifest manifest) throws RegistryException {
    if (manifest == null) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + " is empty");
    }
    if (manifest.name() == null || !dev.modelship.serving.model.ModelNames.isValidName(manifest.name())) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + ": 'name' is missing or not a valid model "
          + "name: " + manifest.name());
    }
    if (manifest.task() == null) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + ": 'task' is missing (classification or "
          + "regression)");
    }
    if (manifest.inputs().isEmpty() || manifest.outputs().isEmpty()) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + ": 'inputs' and 'outputs' must name the "
          + "ONNX graph's inputs and outputs");
    }
    return manifest;
  }
}
