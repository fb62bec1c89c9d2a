package dev.modelship.serving.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modelship.serving.batching.BatchPolicy;
import dev.modelship.serving.batching.BatchRunner;
import dev.modelship.serving.batching.OutputGuard;
import java.util.List;
import java.util.OptionalInt;

/** One model version with its ONNX Runtime session, signature and serving settings. */
public final class LoadedModel implements AutoCloseable {
  private final String name;
  private final long version;
  private final String sha256;
  private final String device;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final int maxBatchSize;
  private final ModelConfig config;
  private final OrtEnvironment env;
  private final OrtSession session;

  LoadedModel(String name, long version, String sha256, String device, List<TensorSpec> inputs,
              List<TensorSpec> outputs, int maxBatchSize, ModelConfig config, OrtEnvironment env,
              OrtSession session) {
    this.name = name;
    this.version = version;
    this.sha256 = sha256;
    this.device = device;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.maxBatchSize = maxBatchSize;
    this.config = config;
    this.env = env;
    this.session = session;
  }

  public String name() {
    return name;
  }

  public long version() {
    return version;
  }

  public String versionLabel() {
    return Long.toString(version);
  }

  /** Hex sha256 of the model.onnx bytes that were loaded. */
  public String sha256() {
    return sha256;
  }

  /** Where the session runs: {@code cpu} or {@code cuda:N}. */
  public String device() {
    return device;
  }

  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  /** Rows per run, or 0 when the model is served unbatched (its batch dimension is fixed). */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  public boolean batched() {
    return maxBatchSize > 0;
  }

  public OptionalInt inputIndex(String inputName) {
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).name().equals(inputName)) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  public OptionalInt outputIndex(String outputName) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).name().equals(outputName)) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  public BatchPolicy batchPolicy() {
    return new BatchPolicy(maxBatchSize, config.maxQueueDelay(), config.effectiveMaxQueueSize(),
        config.effectiveInstanceCount());
  }

  public OutputGuard outputGuard() {
    return new OutputGuard(config.nonFiniteOutputsAllowed(),
        outputs.stream().map(TensorSpec::name).toArray(String[]::new));
  }

  /** A runner for one batcher worker; runners share the session (ORT sessions are thread-safe). */
  public BatchRunner newRunner() {
    return new OrtBatchRunner(env, session, inputs, outputs, batched());
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the session of " + name + ":" + version + " failed", e);
    }
  }

  @Override
  public String toString() {
    return name + ":" + version;
  }
}
