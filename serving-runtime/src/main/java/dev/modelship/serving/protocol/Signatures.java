package dev.modelship.serving.protocol;

import dev.modelship.serving.batching.InferenceJob;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.TensorData;
import dev.modelship.serving.model.TensorSpec;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Checks request tensors against a model's signature; shared by the V2 and V1 codecs. */
final class Signatures {
  private Signatures() {
  }

  /** Checks a request shape against the model input's shape and returns the element count it calls for. */
  static long checkShape(LoadedModel model, TensorSpec spec, long[] shape, long maxElements) {
    String what = "input '" + spec.name() + "'";
    if (shape.length != spec.rank()) {
      throw ApiException.badRequest(what + ": shape " + Arrays.toString(shape) + " has " + shape.length
          + " dimensions, the model expects " + spec.rank() + " " + Arrays.toString(spec.shape()));
    }
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < 0) {
        throw ApiException.badRequest(what + ": shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      if (spec.dim(d) >= 0 && shape[d] != spec.dim(d)) {
        throw ApiException.badRequest(what + ": shape " + Arrays.toString(shape) + " does not match the model's "
            + Arrays.toString(spec.shape()) + " in dimension " + d);
      }
    }
    if (model.batched()) {
      if (shape[0] < 1) {
        throw ApiException.badRequest(what + ": shape " + Arrays.toString(shape) + " has no rows");
      }
      if (shape[0] > model.maxBatchSize()) {
        throw ApiException.badRequest(what + ": " + shape[0] + " rows is more than this model takes in one request "
            + "(max_batch_size " + model.maxBatchSize() + ")");
      }
    }
    long elements;
    try {
      elements = TensorData.elementCount(shape);
    } catch (ArithmeticException overflow) {
      elements = Long.MAX_VALUE;
    }
    if (elements > maxElements) {
      throw ApiException.badRequest(what + ": shape " + Arrays.toString(shape) + " calls for " + elements
          + " elements, more than the request body can hold");
    }
    return elements;
  }

  /** Builds the job once every input is present, checking that batched inputs agree on their row count. */
  static InferenceJob job(LoadedModel model, TensorData[] inputs, boolean[] wantedOutputs) {
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw ApiException.badRequest("missing input '" + model.inputs().get(i).name() + "' (model inputs: "
            + names(model) + ")");
      }
    }
    long rows = 1;
    if (model.batched()) {
      rows = inputs[0].dim(0);
      for (int i = 1; i < inputs.length; i++) {
        if (inputs[i].dim(0) != rows) {
          throw ApiException.badRequest("inputs disagree on the batch dimension: '" + model.inputs().get(0).name()
              + "' has " + rows + " rows, '" + model.inputs().get(i).name() + "' has " + inputs[i].dim(0));
        }
      }
    }
    return new InferenceJob(inputs, wantedOutputs, rows);
  }

  static String names(LoadedModel model) {
    return model.inputs().stream().map(TensorSpec::name).collect(Collectors.joining(", "));
  }

  static String outputNames(LoadedModel model) {
    return model.outputs().stream().map(TensorSpec::name).collect(Collectors.joining(", "));
  }
}
