package dev.modelship.controller.image;

import dev.modelship.controller.registry.ModelVersionRef;

/**
 * What an image build reports while it runs, for the CLI's progress display, the pipeline's events and the UI.
 * Events come from several of Jib's threads; a listener gets them one at a time. Texts never carry a password.
 */
public sealed interface ImageBuildEvent {

  /** The build begins: which version, on which base, to where. */
  record Started(ModelVersionRef model, String baseImage, String target) implements ImageBuildEvent {
  }

  /** Overall progress, 0 to 1, reported in steps of at least 1%. */
  record Progress(double fraction) implements ImageBuildEvent {
  }

  /**
   * A blob (layer or image config) is being pushed to the target registry: uploaded, or mounted from another
   * repository of the same registry. Blobs the registry already has get {@link BlobAlreadyPresent} instead.
   */
  record BlobPushing(String digest, long bytes) implements ImageBuildEvent {
  }

  /** A blob the target registry already had: nothing was uploaded for it. */
  record BlobAlreadyPresent(String digest) implements ImageBuildEvent {
  }

  /** A message from Jib worth showing (a lifecycle step, a warning). */
  record Note(Level level, String message) implements ImageBuildEvent {
  }

  /** The image is complete where it was asked to go. */
  record Finished(ImageRef image) implements ImageBuildEvent {
  }

  /** How much a {@link Note} matters. */
  enum Level { INFO, WARNING, ERROR }
}
