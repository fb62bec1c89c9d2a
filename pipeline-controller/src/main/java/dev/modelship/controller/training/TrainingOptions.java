package dev.modelship.controller.training;

import dev.modelship.controller.registry.ModelManifest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@link Trainer} trains.
 *
 * @param holdoutFraction share of the rows held out for measuring, when no {@code holdoutFile} is given
 * @param holdoutFile a fixed holdout (same columns as the training data) instead of a split: a curated set
 *     measures every version on the same rows
 * @param bars a modelship.yaml whose thresholds, champion tolerance, latency budget and serving settings the
 *     new package takes over, instead of thresholds derived from what this training measured
 * @param output the package folder to write (absent or empty); a new temporary folder when not given
 */
public record TrainingOptions(ModelManifest.Task task, long seed, double holdoutFraction, int epochs,
                              Optional<Path> holdoutFile, Optional<ModelManifest> bars, Optional<Path> output) {
  public static final long DEFAULT_SEED = 42;
  public static final double DEFAULT_HOLDOUT_FRACTION = 0.2;
  public static final int DEFAULT_EPOCHS = 20;

  public TrainingOptions {
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("the holdout fraction must be above 0 and below 1, got " + holdoutFraction);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
  }

  public static TrainingOptions defaults() {
    return new TrainingOptions(ModelManifest.Task.CLASSIFICATION, DEFAULT_SEED, DEFAULT_HOLDOUT_FRACTION,
        DEFAULT_EPOCHS, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public TrainingOptions withTask(ModelManifest.Task value) {
    return new TrainingOptions(value, seed, holdoutFraction, epochs, holdoutFile, bars, output);
  }

  public TrainingOptions withSeed(long value) {
    return new TrainingOptions(task, value, holdoutFraction, epochs, holdoutFile, bars, output);
  }

  public TrainingOptions withHoldoutFraction(double value) {
    return new TrainingOptions(task, seed, value, epochs, holdoutFile, bars, output);
  }

  public TrainingOptions withEpochs(int value) {
    return new TrainingOptions(task, seed, holdoutFraction, value, holdoutFile, bars, output);
  }

  public TrainingOptions withHoldoutFile(Path value) {
    return new TrainingOptions(task, seed, holdoutFraction, epochs, Optional.of(value), bars, output);
  }

  public TrainingOptions withBars(ModelManifest value) {
    return new TrainingOptions(task, seed, holdoutFraction, epochs, holdoutFile, Optional.of(value), output);
  }

  public TrainingOptions withOutput(Path value) {
    return new TrainingOptions(task, seed, holdoutFraction, epochs, holdoutFile, bars, Optional.of(value));
  }
}
