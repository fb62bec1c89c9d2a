package dev.modelship.controller.image;

/** Receives an image build's {@link ImageBuildEvent}s. Must not block: it runs on the build's threads. */
@FunctionalInterface
public interface ImageBuildListener {
  void onEvent(ImageBuildEvent event);

  static ImageBuildListener ignoring() {
    return event -> { };
  }
}
