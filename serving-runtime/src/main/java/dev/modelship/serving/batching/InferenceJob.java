package dev.modelship.serving.batching;

import dev.modelship.serving.model.TensorData;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One accepted inference request on its way through a batcher: its inputs (indexed like the model's inputs),
 * the outputs it asked for (indexed like the model's outputs), and the future its caller waits on.
 */
public final class InferenceJob {
  private final TensorData[] inputs;
  private final boolean[] wantedOutputs;
  private final long rows;
  private final CompletableFuture<TensorData[]> outcome = new CompletableFuture<>();
  private volatile long enqueuedAtNanos;

  /**
   * @param rows the request's extent along the batch dimension (1 for models served unbatched)
   */
  public InferenceJob(TensorData[] inputs, boolean[] wantedOutputs, long rows) {
    this.inputs = inputs.clone();
    this.wantedOutputs = wantedOutputs.clone();
    this.rows = rows;
  }

  public TensorData input(int index) {
    return inputs[index];
  }

  public int inputCount() {
    return inputs.length;
  }

  public boolean wantsOutput(int index) {
    return wantedOutputs[index];
  }

  public long rows() {
    return rows;
  }

  long enqueuedAtNanos() {
    return enqueuedAtNanos;
  }

  void markEnqueued(long nanos) {
    enqueuedAtNanos = nanos;
  }

  /**
   * True when this job's inputs can be stacked with {@code other}'s: every input has the same dimensions
   * apart from the first.
   */
  boolean stacksWith(InferenceJob other) {
    for (int i = 0; i < inputs.length; i++) {
      long[] mine = inputs[i].shape();
      long[] theirs = other.inputs[i].shape();
      if (mine.length != theirs.length
          || !Arrays.equals(mine, 1, mine.length, theirs, 1, theirs.length)) {
        return false;
      }
    }
    return true;
  }

  void complete(TensorData[] outputs) {
    outcome.complete(outputs);
  }

  void fail(InferenceFailure failure) {
    outcome.completeExceptionally(failure);
  }

  /** Blocks until the job has run; outputs are indexed like the model's outputs, null where not wanted. */
  public TensorData[] await() throws InferenceFailure, InterruptedException {
    try {
      return outcome.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InferenceFailure) {
        throw (InferenceFailure) e.getCause();
      }
      throw new InferenceFailure(InferenceFailure.Reason.SERVER_FAULT, "inference failed: " + e.getCause(), e);
    }
  }

  public boolean isDone() {
    return outcome.isDone();
  }
}
