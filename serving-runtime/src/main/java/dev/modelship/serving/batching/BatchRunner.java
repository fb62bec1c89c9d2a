package dev.modelship.serving.batching;

import dev.modelship.serving.model.TensorData;
import java.util.List;

/** Runs stacked jobs through a model. One runner per batcher worker, so a runner may keep scratch buffers. */
public interface BatchRunner extends AutoCloseable {

  /**
   * Runs {@code jobs} as one batch (their inputs stacked along the first dimension, in order) and splits the
   * outputs back.
   *
   * @return per job, the outputs indexed like the model's outputs (null where the job did not ask for one)
   * @throws InferenceFailure when the batch as a whole failed
   */
  TensorData[][] run(List<InferenceJob> jobs) throws InferenceFailure;

  @Override
  default void close() {
  }
}
