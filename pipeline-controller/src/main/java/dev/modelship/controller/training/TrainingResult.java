package dev.modelship.controller.training;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;

/** What {@link Trainer#train} wrote, and on how many rows it trained and measured. */
public record TrainingResult(ModelPackage pkg, ModelManifest manifest, int trainingRows, int holdoutRows) {
}
