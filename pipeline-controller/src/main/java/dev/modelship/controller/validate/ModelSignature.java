package dev.modelship.controller.validate;

import dev.modelship.serving.model.TensorSpec;
import java.util.List;

/**
 * What callers of a model depend on: its ONNX inputs and outputs as ONNX Runtime reports them, and from
 * modelship.yaml which feature sits in which input column and which class in which output column.
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, List<String> features,
                             List<String> classes) {
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    features = List.copyOf(features);
    classes = List.copyOf(classes);
  }
}
