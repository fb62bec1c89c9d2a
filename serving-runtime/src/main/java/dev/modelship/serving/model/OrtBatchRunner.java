package dev.modelship.serving.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.modelship.serving.batching.BatchRunner;
import dev.modelship.serving.batching.InferenceFailure;
import dev.modelship.serving.batching.InferenceJob;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs batches through one ONNX Runtime session. Inputs are copied once, from each request into a reusable
 * direct buffer per input, which ORT reads without another copy; every tensor and result is closed.
 */
final class OrtBatchRunner implements BatchRunner {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final boolean stacked;
  private final ByteBuffer[] scratch;
  private final OrtSession.RunOptions runOptions;

  OrtBatchRunner(OrtEnvironment env, OrtSession session, List<TensorSpec> inputs, List<TensorSpec> outputs,
                 boolean stacked) {
    this.env = env;
    this.session = session;
    this.inputs = inputs;
    this.outputs = outputs;
    this.stacked = stacked;
    this.scratch = new ByteBuffer[inputs.size()];
    this.runOptions = quietRunOptions();
  }

  /** A failed run is reported to its caller; ORT's own error log line for it would only repeat that, per request. */
  private static OrtSession.RunOptions quietRunOptions() {
    try {
      OrtSession.RunOptions options = new OrtSession.RunOptions();
      options.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
      return options;
    } catch (OrtException e) {
      throw new IllegalStateException("cannot create ONNX Runtime run options", e);
    }
  }

  @Override
  public void close() {
    runOptions.close();
  }

  @Override
  public TensorData[][] run(List<InferenceJob> jobs) throws InferenceFailure {
    if (!stacked && jobs.size() != 1) {
      throw new IllegalArgumentException("model without a dynamic batch dimension runs one request at a time");
    }
    long totalRows = jobs.stream().mapToLong(InferenceJob::rows).sum();
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        feeds.put(inputs.get(i).name(), stackInput(i, jobs, totalRows));
      }
      Set<String> wanted = wantedOutputs(jobs);
      try (OrtSession.Result result = session.run(feeds, wanted, runOptions)) {
        return splitOutputs(jobs, totalRows, result);
      }
    } catch (OrtException e) {
      InferenceFailure.Reason reason = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT
          ? InferenceFailure.Reason.INVALID_INPUT : InferenceFailure.Reason.SERVER_FAULT;
      throw new InferenceFailure(reason, "model run failed: " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor stackInput(int index, List<InferenceJob> jobs, long totalRows) throws OrtException {
    long[] shape = jobs.get(0).input(index).shape();
    if (stacked) {
      shape[0] = totalRows;
    }
    long bytes = 0;
    for (InferenceJob job : jobs) {
      bytes += job.input(index).values().remaining();
    }
    ByteBuffer buffer = scratch(index, Math.toIntExact(bytes));
    for (InferenceJob job : jobs) {
      buffer.put(job.input(index).values());
    }
    buffer.flip();
    return OnnxTensor.createTensor(env, buffer, shape, inputs.get(index).datatype().onnxJavaType());
  }

  private ByteBuffer scratch(int index, int bytes) {
    ByteBuffer buffer = scratch[index];
    if (buffer == null || buffer.capacity() < bytes) {
      int capacity = Integer.highestOneBit(Math.max(bytes, 64) - 1) << 1;
      buffer = ByteBuffer.allocateDirect(capacity > 0 ? capacity : bytes).order(ByteOrder.nativeOrder());
      scratch[index] = buffer;
    }
    buffer.clear();
    return buffer.limit(bytes);
  }

  private Set<String> wantedOutputs(List<InferenceJob> jobs) {
    Set<String> wanted = new LinkedHashSet<>();
    for (int o = 0; o < outputs.size(); o++) {
      for (InferenceJob job : jobs) {
        if (job.wantsOutput(o)) {
          wanted.add(outputs.get(o).name());
          break;
        }
      }
    }
    return wanted;
  }

  private TensorData[][] splitOutputs(List<InferenceJob> jobs, long totalRows, OrtSession.Result result)
      throws OrtException, InferenceFailure {
    TensorData[][] perJob = new TensorData[jobs.size()][outputs.size()];
    for (int o = 0; o < outputs.size(); o++) {
      TensorSpec spec = outputs.get(o);
      Optional<OnnxValue> value = result.get(spec.name());
      if (value.isEmpty()) {
        continue;
      }
      if (!(value.get() instanceof OnnxTensor)) {
        throw new InferenceFailure(InferenceFailure.Reason.SERVER_FAULT,
            "output '" + spec.name() + "' is not a tensor");
      }
      OnnxTensor tensor = (OnnxTensor) value.get();
      long[] shape = tensor.getInfo().getShape();
      ByteBuffer all = tensor.getByteBuffer().order(ByteOrder.nativeOrder());
      if (!stacked) {
        perJob[0][o] = new TensorData(spec.datatype(), shape, all);
        continue;
      }
      if (shape.length == 0 || shape[0] != totalRows) {
        throw new InferenceFailure(InferenceFailure.Reason.SERVER_FAULT, "output '" + spec.name()
            + "' has first dimension " + (shape.length == 0 ? "none" : shape[0]) + " for a batch of " + totalRows
            + " rows; serve this model with max_batch_size: 0");
      }
      int rowBytes = Math.toIntExact(totalRows == 0 ? 0 : all.remaining() / totalRows);
      int offset = 0;
      for (int j = 0; j < jobs.size(); j++) {
        int rows = Math.toIntExact(jobs.get(j).rows());
        long[] jobShape = shape.clone();
        jobShape[0] = rows;
        if (jobs.get(j).wantsOutput(o)) {
          perJob[j][o] = new TensorData(spec.datatype(), jobShape, all.slice(offset, rows * rowBytes));
        }
        offset += rows * rowBytes;
      }
    }
    return perJob;
  }
}
