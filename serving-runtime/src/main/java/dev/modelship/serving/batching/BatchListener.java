package dev.modelship.serving.batching;

/** Told about each batch a batcher runs; metrics implement it. */
public interface BatchListener {
  BatchListener NONE = new BatchListener() {
  };

  /** A job left the queue after waiting {@code queuedNanos}. */
  default void jobDequeued(long queuedNanos) {
  }

  /** A batch of {@code rows} rows from {@code jobs} jobs ran for {@code inferenceNanos}. */
  default void batchRan(int jobs, long rows, long inferenceNanos) {
  }
}
