package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import java.util.Map;

/**
 * One model in a validation, challenger or champion: its package, manifest and running session, and once the
 * holdout has gone through it, its outputs and metrics.
 */
final class Contender implements AutoCloseable {
  final ModelPackage pkg;
  final ModelManifest manifest;
  final ModelRunner runner;
  /** Output name to rows, once the holdout has been run; null before or when it could not be. */
  Map<String, double[][]> holdoutOutputs;
  Map<String, Double> metrics;

  Contender(ModelPackage pkg, ModelManifest manifest, ModelRunner runner) {
    this.pkg = pkg;
    this.manifest = manifest;
    this.runner = runner;
  }

  /** The output holding the prediction: modelship.yaml's first output. */
  String predictionOutput() {
    return manifest.outputs().get(0);
  }

  @Override
  public void close() {
    runner.close();
  }
}
