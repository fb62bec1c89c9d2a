package dev.modelship.controller.pipeline.stages;

import dev.modelship.controller.image.ImageBuildEvent;
import dev.modelship.controller.image.ImageBuilder;
import dev.modelship.controller.image.ImageRef;
import dev.modelship.controller.image.ImageRequest;
import dev.modelship.controller.image.ImageTarget;
import dev.modelship.controller.image.LocalImageStore;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.PublishedVersion;
import java.util.Map;

/**
 * Builds the version's serving image with Jib: into the local image store (the embedded default) or pushed to an
 * OCI registry. Builds are reproducible, so a resumed run builds the same digest again. The stage's value
 * {@code image} is the pinned reference the release commits.
 */
public final class BuildImageStage implements Stage {
  public static final String NAME = "build-image";
  public static final String IMAGE = "image";

  /** Where images go, and the reference a release records for one. */
  public sealed interface Destination {
    ImageTarget target(String tag) throws Exception;

    String pinned(ImageRef built);

    /** The local image store the local engine runs images from. */
    record Local(LocalImageStore store) implements Destination {
      @Override
      public ImageTarget target(String tag) throws Exception {
        return store.targetFor(tag);
      }

      @Override
      public String pinned(ImageRef built) {
        return LocalImageStore.pinned(built);
      }
    }

    /** A registry repository, e.g. {@code registry.example.com/models/serving}. */
    record Registry(ImageTarget.Repository repository) implements Destination {
      @Override
      public ImageTarget target(String tag) {
        return repository;
      }

      @Override
      public String pinned(ImageRef built) {
        return built.pinned();
      }
    }
  }

  private final Packages packages;
  private final ImageBuilder builder;
  private final Destination destination;
  private final String baseImage;
  private final java.util.Set<String> insecureRegistries;

  /** @param baseImage the base image reference, {@code scratch}, or null for the builder's default */
  public BuildImageStage(Packages packages, ImageBuilder builder, Destination destination, String baseImage) {
    this(packages, builder, destination, baseImage, java.util.Set.of());
  }

  /**
   * @param insecureRegistries registries ({@code host[:port]}) reached over plain HTTP or with an unverified
   *     certificate, as {@code modelship build-image --insecure-registry}
   */
  public BuildImageStage(Packages packages, ImageBuilder builder, Destination destination, String baseImage,
                         java.util.Set<String> insecureRegistries) {
    this.packages = packages;
    this.builder = builder;
    this.destination = destination;
    this.baseImage = baseImage;
    this.insecureRegistries = java.util.Set.copyOf(insecureRegistries);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result run(PipelineRun run, EventSink events) throws Exception {
    PublishedVersion published = packages.published(run.ref());
    if (!published.digest().equals(run.digest())) {
      throw new IllegalStateException(run.ref() + " in " + packages.registry().location() + " has digest "
          + published.digest() + ", not the " + run.digest() + " this run validated");
    }
    ModelPackage pkg = packages.fetch(run.ref());
    ImageRequest request = ImageRequest.of(published, pkg, packages.registry().location(),
        destination.target(ImageRequest.tagFor(run.ref())));
    if (baseImage != null) {
      request = request.withBaseImage(baseImage);
    }
    if (!insecureRegistries.isEmpty()) {
      request = request.withInsecureRegistries(insecureRegistries);
    }
    int[] lastQuarter = {-1};
    ImageRef built = builder.build(request, event -> {
      if (event instanceof ImageBuildEvent.Started started) {
        events.event("building on " + started.baseImage() + " -> " + started.target());
      } else if (event instanceof ImageBuildEvent.Progress progress) {
        int quarter = (int) Math.floor(progress.fraction() * 4);
        if (quarter > lastQuarter[0] && quarter < 4) {
          lastQuarter[0] = quarter;
          events.event("image build " + quarter * 25 + "%");
        }
      } else if (event instanceof ImageBuildEvent.Note note && note.level() != ImageBuildEvent.Level.INFO) {
        events.event(note.level() + ": " + note.message());
      }
    });
    String pinned = destination.pinned(built);
    return Result.next(Map.of(IMAGE, pinned), "built " + pinned);
  }
}
