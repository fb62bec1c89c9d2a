package dev.modelship.serving.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Serving options of a model, read from {@code model.yaml}: in the model folder (all versions) and/or in a
 * version folder (that version only; its keys win). Every key is optional; unknown keys are an error so
 * that a typo never silently falls back to a default.
 *
 * <pre>
 * max_batch_size: 64                 # rows per ORT run; 0 = no batching
 * dynamic_batching:
 *   max_queue_delay_microseconds: 0  # how long a batch may wait for more rows
 *   max_queue_size: 512              # queued requests; a full queue rejects at once with 503
 * instance_count: 1                  # batches run in parallel
 * device: auto                       # auto | cpu | cuda | cuda:N (overrides --device)
 * intra_op_threads: 0                # 0 = server default
 * allow_non_finite_outputs: false    # NaN/Inf outputs fail the request unless true
 * version_policy: latest             # latest | all | [1, 3]   (model folder only)
 * </pre>
 */
public record ModelConfig(
    Integer maxBatchSize,
    Long maxQueueDelayMicros,
    Integer maxQueueSize,
    Integer instanceCount,
    String device,
    Integer intraOpThreads,
    Boolean allowNonFiniteOutputs,
    VersionPolicy versionPolicy) {

  public static final int DEFAULT_MAX_BATCH_SIZE = 64;
  public static final int DEFAULT_MAX_QUEUE_SIZE = 512;
  public static final String FILE_NAME = "model.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public static ModelConfig empty() {
    return new ModelConfig(null, null, null, null, null, null, null, null);
  }

  /** Reads a {@code model.yaml}; an absent file is the empty config. */
  public static ModelConfig read(Path file) throws ModelLoadException {
    if (!Files.isRegularFile(file)) {
      return empty();
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length == 0) {
        return empty();
      }
      Raw raw = YAML.readValue(bytes, Raw.class);
      return raw == null ? empty() : raw.toConfig(file);
    } catch (UnrecognizedPropertyException e) {
      throw new ModelLoadException(file + ": unknown key '" + e.getPropertyName() + "' (known: "
          + e.getKnownPropertyIds() + ")");
    } catch (JsonProcessingException e) {
      throw new ModelLoadException(file + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ModelLoadException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** This config with every key set in {@code override} replaced by the override's value. */
  public ModelConfig overriddenBy(ModelConfig override) {
    return new ModelConfig(
        pick(override.maxBatchSize, maxBatchSize),
        pick(override.maxQueueDelayMicros, maxQueueDelayMicros),
        pick(override.maxQueueSize, maxQueueSize),
        pick(override.instanceCount, instanceCount),
        pick(override.device, device),
        pick(override.intraOpThreads, intraOpThreads),
        pick(override.allowNonFiniteOutputs, allowNonFiniteOutputs),
        pick(override.versionPolicy, versionPolicy));
  }

  public Optional<Integer> explicitMaxBatchSize() {
    return Optional.ofNullable(maxBatchSize);
  }

  public Duration maxQueueDelay() {
    return Duration.ofNanos(Math.multiplyExact(maxQueueDelayMicros == null ? 0 : maxQueueDelayMicros, 1000));
  }

  public int effectiveMaxQueueSize() {
    return maxQueueSize == null ? DEFAULT_MAX_QUEUE_SIZE : maxQueueSize;
  }

  public int effectiveInstanceCount() {
    return instanceCount == null ? 1 : instanceCount;
  }

  public boolean nonFiniteOutputsAllowed() {
    return Boolean.TRUE.equals(allowNonFiniteOutputs);
  }

  public VersionPolicy effectiveVersionPolicy() {
    return versionPolicy == null ? VersionPolicy.latest() : versionPolicy;
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }

  /** The YAML document as written; checked and turned into a {@link ModelConfig} by {@link #toConfig}. */
  static final class Raw {
    final Integer maxBatchSize;
    final DynamicBatching dynamicBatching;
    final Integer instanceCount;
    final String device;
    final Integer intraOpThreads;
    final Boolean allowNonFiniteOutputs;
    final JsonNode versionPolicy;

    @JsonCreator
    Raw(@JsonProperty("max_batch_size") Integer maxBatchSize,
        @JsonProperty("dynamic_batching") DynamicBatching dynamicBatching,
        @JsonProperty("instance_count") Integer instanceCount,
        @JsonProperty("device") String device,
        @JsonProperty("intra_op_threads") Integer intraOpThreads,
        @JsonProperty("allow_non_finite_outputs") Boolean allowNonFiniteOutputs,
        @JsonProperty("version_policy") JsonNode versionPolicy) {
      this.maxBatchSize = maxBatchSize;
      this.dynamicBatching = dynamicBatching;
      this.instanceCount = instanceCount;
      this.device = device;
      this.intraOpThreads = intraOpThreads;
      this.allowNonFiniteOutputs = allowNonFiniteOutputs;
      this.versionPolicy = versionPolicy;
    }

    ModelConfig toConfig(Path file) throws ModelLoadException {
      requireRange(file, "max_batch_size", maxBatchSize, 0, 1 << 20);
      requireRange(file, "instance_count", instanceCount, 1, 64);
      requireRange(file, "intra_op_threads", intraOpThreads, 0, 1024);
      Long delay = dynamicBatching == null ? null : dynamicBatching.maxQueueDelayMicros;
      Integer queue = dynamicBatching == null ? null : dynamicBatching.maxQueueSize;
      if (delay != null && (delay < 0 || delay > 10_000_000)) {
        throw new ModelLoadException(file + ": dynamic_batching.max_queue_delay_microseconds must be between 0 and "
            + "10000000, got " + delay);
      }
      requireRange(file, "dynamic_batching.max_queue_size", queue, 1, 1 << 20);
      if (device != null) {
        DeviceSpec.parse(device).orElseThrow(() -> new ModelLoadException(
            file + ": device must be auto, cpu, cuda or cuda:N, got '" + device + "'"));
      }
      return new ModelConfig(maxBatchSize, delay, queue, instanceCount, device, intraOpThreads,
          allowNonFiniteOutputs, versionPolicy == null ? null : VersionPolicy.fromYaml(file, versionPolicy));
    }

    private static void requireRange(Path file, String key, Integer value, int min, int max)
        throws ModelLoadException {
      if (value != null && (value < min || value > max)) {
        throw new ModelLoadException(file + ": " + key + " must be between " + min + " and " + max + ", got " + value);
      }
    }
  }

  static final class DynamicBatching {
    final Long maxQueueDelayMicros;
    final Integer maxQueueSize;

    @JsonCreator
    DynamicBatching(@JsonProperty("max_queue_delay_microseconds") Long maxQueueDelayMicros,
                    @JsonProperty("max_queue_size") Integer maxQueueSize) {
      this.maxQueueDelayMicros = maxQueueDelayMicros;
      this.maxQueueSize = maxQueueSize;
    }
  }

  /** Which versions of a model are served: the newest, all, or a list (Triton's version policies). */
  public record VersionPolicy(Kind kind, List<Long> versions) {
    public enum Kind { LATEST, ALL, SPECIFIC }

    public VersionPolicy {
      versions = List.copyOf(versions);
    }

    public static VersionPolicy latest() {
      return new VersionPolicy(Kind.LATEST, List.of());
    }

    public static VersionPolicy all() {
      return new VersionPolicy(Kind.ALL, List.of());
    }

    public static VersionPolicy specific(List<Long> versions) {
      return new VersionPolicy(Kind.SPECIFIC, versions);
    }

    /** Parses {@code latest}, {@code all} or a comma-separated list such as {@code 1,3}. */
    public static Optional<VersionPolicy> parse(String text) {
      String trimmed = text.trim();
      if (trimmed.equals("latest")) {
        return Optional.of(latest());
      }
      if (trimmed.equals("all")) {
        return Optional.of(all());
      }
      List<Long> versions = new ArrayList<>();
      for (String part : trimmed.split(",")) {
        Optional<Long> version = ModelNames.parseVersion(part.trim());
        if (version.isEmpty()) {
          return Optional.empty();
        }
        versions.add(version.get());
      }
      return Optional.of(specific(versions));
    }

    static VersionPolicy fromYaml(Path file, JsonNode node) throws ModelLoadException {
      if (node.isTextual()) {
        return parse(node.asText()).orElseThrow(() -> new ModelLoadException(
            file + ": version_policy must be latest, all or a list of versions, got '" + node.asText() + "'"));
      }
      if (node.isArray() && node.size() > 0) {
        List<Long> versions = new ArrayList<>();
        for (JsonNode element : node) {
          Optional<Long> version = element.canConvertToLong() && element.isIntegralNumber()
              ? ModelNames.parseVersion(Long.toString(element.asLong()))
              : ModelNames.parseVersion(element.asText());
          versions.add(version.orElseThrow(() -> new ModelLoadException(
              file + ": version_policy lists '" + element.asText() + "', which is not a version number")));
        }
        return specific(versions);
      }
      throw new ModelLoadException(file + ": version_policy must be latest, all or a non-empty list of versions");
    }
  }
}
