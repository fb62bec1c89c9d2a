package dev.modelship.serving.http;

import dev.modelship.serving.batching.DynamicBatcher;
import dev.modelship.serving.metrics.ModelMetrics;
import dev.modelship.serving.model.LoadedModel;

/** A model version as the HTTP layer serves it: the model, its batcher and its metrics. */
public record ServedModel(LoadedModel model, DynamicBatcher batcher, ModelMetrics metrics) {
}
