package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.serving.batching.BatchRunner;
import dev.modelship.serving.batching.InferenceFailure;
import dev.modelship.serving.batching.InferenceJob;
import dev.modelship.serving.model.Datatype;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.TensorData;
import dev.modelship.serving.model.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Feeds rows of numbers to a model loaded by the serving runtime's loader, through the serving runtime's own
 * batch runner, so the gate sees exactly what the serving image will compute. Models with one input of shape
 * [batch, features] are fed; that is the shape of every model Modelship trains.
 */
final class ModelRunner implements AutoCloseable {
  private static final int CHUNK_ROWS = 256;

  private final LoadedModel model;
  private final BatchRunner runner;

  ModelRunner(LoadedModel model) {
    this.model = model;
    this.runner = model.newRunner();
  }

  ModelSignature signature(ModelManifest manifest) {
    return new ModelSignature(model.inputs(), model.outputs(), manifest.features(), manifest.classes());
  }

  List<TensorSpec> inputs() {
    return model.inputs();
  }

  List<TensorSpec> outputs() {
    return model.outputs();
  }

  /** Why rows of {@code featureCount} numbers cannot be fed to this model, if they cannot. */
  Optional<String> feedProblem(int featureCount) {
    if (model.inputs().size() != 1) {
      return Optional.of("the model has " + model.inputs().size() + " inputs " + model.inputs()
          + "; holdout rows can only be fed to a model with one input [batch, features]");
    }
    TensorSpec input = model.inputs().get(0);
    if (input.rank() != 2 || !input.datatype().isFloatingPoint()) {
      return Optional.of("input " + input + " is not a floating-point [batch, features] tensor");
    }
    if (input.dim(1) >= 0 && input.dim(1) != featureCount) {
      return Optional.of("input " + input + " takes " + input.dim(1) + " features per row, but modelship.yaml lists "
          + featureCount);
    }
    if (input.dim(0) > 1) {
      return Optional.of("input " + input + " has a fixed batch of " + input.dim(0) + " rows");
    }
    return Optional.empty();
  }

  /** Every output, by name in the model's order, as one row of values per input row. */
  Map<String, double[][]> predict(double[][] rows) throws InferenceFailure {
    int chunk = model.batched() ? CHUNK_ROWS : 1;
    Map<String, double[][]> outputs = new LinkedHashMap<>();
    model.outputs().forEach(spec -> outputs.put(spec.name(), new double[rows.length][]));
    for (int start = 0; start < rows.length; start += chunk) {
      double[][] part = Arrays.copyOfRange(rows, start, Math.min(rows.length, start + chunk));
      TensorData[] answer = run(part);
      for (int o = 0; o < answer.length; o++) {
        double[][] values = toRows(model.outputs().get(o).name(), answer[o], part.length);
        System.arraycopy(values, 0, outputs.get(model.outputs().get(o).name()), start, part.length);
      }
    }
    return outputs;
  }

  /** Nanoseconds of each of {@code runs} single-row inferences, after {@code warmUps} untimed ones. */
  long[] timeSingleRow(double[] row, int warmUps, int runs, LongSupplier nanoTime) throws InferenceFailure {
    double[][] one = {row};
    for (int i = 0; i < warmUps; i++) {
      run(one);
    }
    long[] nanos = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = nanoTime.getAsLong();
      run(one);
      nanos[i] = nanoTime.getAsLong() - start;
    }
    return nanos;
  }

  private TensorData[] run(double[][] rows) throws InferenceFailure {
    TensorSpec spec = model.inputs().get(0);
    int width = rows[0].length;
    ByteBuffer buffer = ByteBuffer.allocate(rows.length * width * spec.datatype().byteSize())
        .order(ByteOrder.nativeOrder());
    for (double[] row : rows) {
      for (double value : row) {
        if (spec.datatype() == Datatype.FP32) {
          buffer.putFloat((float) value);
        } else {
          buffer.putDouble(value);
        }
      }
    }
    buffer.flip();
    TensorData input = new TensorData(spec.datatype(), new long[] {rows.length, width}, buffer);
    boolean[] allOutputs = new boolean[model.outputs().size()];
    Arrays.fill(allOutputs, true);
    return runner.run(List.of(new InferenceJob(new TensorData[] {input}, allOutputs, rows.length)))[0];
  }

  private static double[][] toRows(String name, TensorData tensor, int rows) throws InferenceFailure {
    long elements = tensor.elementCount();
    if (tensor.rank() == 0 || tensor.dim(0) != rows || elements % rows != 0) {
      throw new InferenceFailure(InferenceFailure.Reason.SERVER_FAULT, "output '" + name + "' has shape "
          + Arrays.toString(tensor.shape()) + " for " + rows + " input row(s)");
    }
    int width = Math.toIntExact(elements / rows);
    ByteBuffer values = tensor.values();
    double[][] result = new double[rows][width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        result[r][c] = next(tensor.datatype(), values);
      }
    }
    return result;
  }

  private static double next(Datatype datatype, ByteBuffer values) {
    switch (datatype) {
      case FP32: return values.getFloat();
      case FP64: return values.getDouble();
      case INT64: return values.getLong();
      case INT32: return values.getInt();
      case INT16: return values.getShort();
      case UINT8: return Byte.toUnsignedInt(values.get());
      default: return values.get();
    }
  }

  @Override
  public void close() {
    runner.close();
    model.close();
  }
}
