package dev.modelship.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
  @TempDir
  Path dir;

  private ModelConfig read(String yaml) throws IOException, ModelLoadException {
    Path file = Files.writeString(dir.resolve("model.yaml"), yaml);
    return ModelConfig.read(file);
  }

  @Test
  void readsEveryKey() throws Exception {
    ModelConfig config = read("""
        max_batch_size: 8
        dynamic_batching:
          max_queue_delay_microseconds: 250
          max_queue_size: 32
        instance_count: 2
        device: cuda:1
        intra_op_threads: 3
        allow_non_finite_outputs: true
        version_policy: [1, 3]
        """);
    assertThat(config.explicitMaxBatchSize()).contains(8);
    assertThat(config.maxQueueDelay()).isEqualTo(Duration.ofNanos(250_000));
    assertThat(config.effectiveMaxQueueSize()).isEqualTo(32);
    assertThat(config.effectiveInstanceCount()).isEqualTo(2);
    assertThat(config.device()).isEqualTo("cuda:1");
    assertThat(config.intraOpThreads()).isEqualTo(3);
    assertThat(config.nonFiniteOutputsAllowed()).isTrue();
    assertThat(config.effectiveVersionPolicy()).isEqualTo(ModelConfig.VersionPolicy.specific(List.of(1L, 3L)));
  }

  @Test
  void anAbsentOrEmptyFileMeansDefaults() throws Exception {
    assertThat(ModelConfig.read(dir.resolve("missing.yaml"))).isEqualTo(ModelConfig.empty());
    ModelConfig empty = read("");
    assertThat(empty.explicitMaxBatchSize()).isEmpty();
    assertThat(empty.effectiveMaxQueueSize()).isEqualTo(ModelConfig.DEFAULT_MAX_QUEUE_SIZE);
    assertThat(empty.maxQueueDelay()).isZero();
    assertThat(empty.nonFiniteOutputsAllowed()).isFalse();
    assertThat(empty.effectiveVersionPolicy()).isEqualTo(ModelConfig.VersionPolicy.latest());
  }

  @Test
  void rejectsAnUnknownKeyNamingIt() {
    assertThatThrownBy(() -> read("max_batch_sise: 8\n"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("unknown key 'max_batch_sise'")
        .hasMessageContaining("max_batch_size");
  }

  @Test
  void rejectsOutOfRangeValues() {
    assertThatThrownBy(() -> read("max_batch_size: -1\n")).hasMessageContaining("max_batch_size must be between 0");
    assertThatThrownBy(() -> read("dynamic_batching: {max_queue_size: 0}\n"))
        .hasMessageContaining("dynamic_batching.max_queue_size must be between 1");
    assertThatThrownBy(() -> read("dynamic_batching: {max_queue_delay_microseconds: -5}\n"))
        .hasMessageContaining("max_queue_delay_microseconds");
    assertThatThrownBy(() -> read("device: tpu\n")).hasMessageContaining("device must be auto, cpu, cuda or cuda:N");
    assertThatThrownBy(() -> read("version_policy: newest\n")).hasMessageContaining("version_policy");
  }

  @Test
  void rejectsMalformedYaml() {
    assertThatThrownBy(() -> read("max_batch_size: [\n")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(dir.resolve("model.yaml").toString());
    assertThatThrownBy(() -> read("max_batch_size: lots\n")).isInstanceOf(ModelLoadException.class);
  }

  @Test
  void versionKeysOverrideModelKeys() throws Exception {
    ModelConfig model = read("max_batch_size: 8\ndevice: cpu\n");
    ModelConfig version = ModelConfig.read(Files.writeString(dir.resolve("v.yaml"), "max_batch_size: 2\n"));
    ModelConfig merged = model.overriddenBy(version);
    assertThat(merged.explicitMaxBatchSize()).contains(2);
    assertThat(merged.device()).isEqualTo("cpu");
  }

  @Test
  void parsesVersionPoliciesFromText() {
    assertThat(ModelConfig.VersionPolicy.parse("all")).contains(ModelConfig.VersionPolicy.all());
    assertThat(ModelConfig.VersionPolicy.parse("2,5")).contains(ModelConfig.VersionPolicy.specific(List.of(2L, 5L)));
    assertThat(ModelConfig.VersionPolicy.parse("2,x")).isEmpty();
    assertThat(ModelConfig.VersionPolicy.parse("../1")).isEmpty();
  }
}
