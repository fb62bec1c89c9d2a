package dev.modelship.controller.validate;

import java.util.Optional;

/**
 * How a validation runs.
 *
 * @param expectedDigest the package digest the registry recorded; the gate checks the files still match it
 * @param allowBreaking accept a signature that would break the champion's callers
 * @param maxModelBytes largest model.onnx accepted
 * @param latencyRuns timed single-row inferences per model
 * @param latencyWarmUps untimed inferences before them
 */
public record ValidationOptions(Optional<String> expectedDigest, boolean allowBreaking, long maxModelBytes,
                                int latencyRuns, int latencyWarmUps) {
  public static final long DEFAULT_MAX_MODEL_BYTES = 1L << 30;
  public static final int DEFAULT_LATENCY_RUNS = 200;
  public static final int DEFAULT_LATENCY_WARM_UPS = 20;

  public ValidationOptions {
    if (maxModelBytes < 1) {
      throw new IllegalArgumentException("the model size limit must be at least 1 byte, got " + maxModelBytes);
    }
    if (latencyRuns < 1 || latencyWarmUps < 0) {
      throw new IllegalArgumentException("latency needs at least 1 timed run and 0 or more warm-ups, got "
          + latencyRuns + " and " + latencyWarmUps);
    }
  }

  public static ValidationOptions defaults() {
    return new ValidationOptions(Optional.empty(), false, DEFAULT_MAX_MODEL_BYTES, DEFAULT_LATENCY_RUNS,
        DEFAULT_LATENCY_WARM_UPS);
  }

  public ValidationOptions withExpectedDigest(String digest) {
    return new ValidationOptions(Optional.of(digest), allowBreaking, maxModelBytes, latencyRuns, latencyWarmUps);
  }

  public ValidationOptions withAllowBreaking(boolean allow) {
    return new ValidationOptions(expectedDigest, allow, maxModelBytes, latencyRuns, latencyWarmUps);
  }

  public ValidationOptions withMaxModelBytes(long bytes) {
    return new ValidationOptions(expectedDigest, allowBreaking, bytes, latencyRuns, latencyWarmUps);
  }

  public ValidationOptions withLatencyRuns(int runs, int warmUps) {
    return new ValidationOptions(expectedDigest, allowBreaking, maxModelBytes, runs, warmUps);
  }
}
