package dev.modelship.serving.batching;

import java.time.Duration;

/**
 * How a batcher forms batches, with Triton's meanings.
 *
 * @param maxBatchRows most rows in one run; 0 means the model is served unbatched (one request per run)
 * @param maxQueueDelay how long the first request of a batch may wait for more (0: take only what is queued)
 * @param maxQueueSize requests that may wait; one more is rejected at once
 * @param instances batches that may run at the same time
 */
public record BatchPolicy(int maxBatchRows, Duration maxQueueDelay, int maxQueueSize, int instances) {
  public BatchPolicy {
    if (maxBatchRows < 0 || maxQueueSize < 1 || instances < 1 || maxQueueDelay.isNegative()) {
      throw new IllegalArgumentException("invalid batch policy " + maxBatchRows + "/" + maxQueueDelay + "/"
          + maxQueueSize + "/" + instances);
    }
  }

  public boolean batching() {
    return maxBatchRows > 0;
  }
}
