/**
 * The image build stage: a model version becomes its serving image, built with Jib Core and pushed to a registry
 * or written to an OCI archive.
 *
 * <p>{@link dev.modelship.controller.image.ImageBuilder#build} takes an
 * {@link dev.modelship.controller.image.ImageRequest} and returns an {@link dev.modelship.controller.image.ImageRef}
 * (name, tag, digest), reporting progress as {@link dev.modelship.controller.image.ImageBuildEvent}s. The decisions
 * are in small classes tested without I/O: which base ({@code BaseImages}), how the container runs
 * ({@code ServingContainer}), which files go in which layer ({@code ImageLayers}), what a Jib event or failure
 * means ({@code JibEventBridge}, {@code JibFailures}). {@code RuntimeDistribution} finds the serving runtime's jars;
 * {@code CredentialSources} finds registry credentials, which {@code Redactor} keeps out of every message. The CLI
 * ({@code modelship build-image}) is a thin face on the builder. User documentation: docs/image.md.
 */
package dev.modelship.controller.image;
