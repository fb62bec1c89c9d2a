package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.ImageReference;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything a serving image is built from. The same request gives the same image digest: nothing in the image
 * depends on when or where it is built.
 *
 * @param model the version being packed
 * @param pkg its files
 * @param created when the version was published; the image's creation time (whole seconds), fixed so builds are
 *     reproducible
 * @param source where the version came from (the model registry's location, never with credentials); the
 *     {@code org.opencontainers.image.source} label
 * @param target where the image goes
 * @param baseImage the base image reference, or null for the default (see {@link BaseImages})
 * @param platform the image's OS and architecture
 * @param gpu whether this is a CUDA image
 * @param extraTags tags besides {@code <model>-<version>}
 * @param insecureRegistries registries ({@code host} or {@code host:port}) that may be reached over plain HTTP or
 *     unverified TLS
 */
public record ImageRequest(ModelVersionRef model, ModelPackage pkg, Instant created, String source,
                           ImageTarget target, String baseImage, ImagePlatform platform, boolean gpu,
                           List<String> extraTags, Set<String> insecureRegistries) {
  private static final int MAX_TAG_LENGTH = 128;

  public ImageRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(pkg, "pkg");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(platform, "platform");
    created = created.truncatedTo(ChronoUnit.SECONDS);
    extraTags = List.copyOf(extraTags);
    for (String tag : extraTags) {
      if (!ImageReference.isValidTag(tag)) {
        throw new IllegalArgumentException("'" + tag + "' is not a valid image tag (letters, digits, '_', '.', '-'; "
            + "at most 128 characters, not starting with '.' or '-')");
      }
    }
    insecureRegistries = Set.copyOf(new TreeSet<>(insecureRegistries.stream()
        .map(registry -> registry.trim().toLowerCase(Locale.ROOT)).filter(registry -> !registry.isEmpty()).toList()));
    String tag = tagFor(model);
    if (tag.length() > MAX_TAG_LENGTH) {
      throw new IllegalArgumentException("the image tag '" + tag + "' is longer than " + MAX_TAG_LENGTH
          + " characters: the model name is too long for an image tag");
    }
  }

  /** A CPU image for linux/amd64 on the default base, tagged {@code <model>-<version>} only. */
  public static ImageRequest of(PublishedVersion version, ModelPackage pkg, String source, ImageTarget target) {
    return new ImageRequest(version.ref(), pkg, version.publishedAt(), source, target, null,
        ImagePlatform.LINUX_AMD64, false, List.of(), Set.of());
  }

  /** {@code <model>-<version>}, the tag every image of that version gets. */
  public static String tagFor(ModelVersionRef model) {
    return model.name() + "-" + model.versionText();
  }

  public String tag() {
    return tagFor(model);
  }

  public ImageRequest withTarget(ImageTarget value) {
    return new ImageRequest(model, pkg, created, source, value, baseImage, platform, gpu, extraTags,
        insecureRegistries);
  }

  public ImageRequest withBaseImage(String reference) {
    return new ImageRequest(model, pkg, created, source, target, reference, platform, gpu, extraTags,
        insecureRegistries);
  }

  public ImageRequest withPlatform(ImagePlatform value) {
    return new ImageRequest(model, pkg, created, source, target, baseImage, value, gpu, extraTags,
        insecureRegistries);
  }

  public ImageRequest withGpu(boolean value) {
    return new ImageRequest(model, pkg, created, source, target, baseImage, platform, value, extraTags,
        insecureRegistries);
  }

  public ImageRequest withExtraTags(List<String> tags) {
    return new ImageRequest(model, pkg, created, source, target, baseImage, platform, gpu, tags, insecureRegistries);
  }

  public ImageRequest withInsecureRegistries(Set<String> registries) {
    return new ImageRequest(model, pkg, created, source, target, baseImage, platform, gpu, extraTags, registries);
  }

  /**
   * Whether {@code registry} is on the insecure list. Registries are named as in image references: {@code host}, or
   * {@code host:port} when the port is not the default; a port is never implied.
   */
  public boolean allowsInsecure(String registry) {
    return registry != null && insecureRegistries.contains(registry.toLowerCase(Locale.ROOT));
  }
}
