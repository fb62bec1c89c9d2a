package dev.modelship.controller.gitops;

import java.util.Objects;
import java.util.Optional;

/**
 * What an environment's overlay pins: the serving image entry (null before the first release) and the model
 * version of {@code release.yaml}.
 */
record OverlayState(KustomizationImages.Entry image, String version) {

  static OverlayState read(String kustomization, String releaseFile) throws GitOpsException {
    return new OverlayState(KustomizationImages.find(kustomization, RepoLayout.IMAGE_NAME).orElse(null),
        ReleaseVersionFile.version(releaseFile).orElse(null));
  }

  static Optional<OverlayState> read(RepoSnapshot snapshot, String model, String environment)
      throws GitOpsException {
    Optional<String> kustomization = snapshot.read(RepoLayout.kustomization(model, environment));
    Optional<String> releaseFile = snapshot.read(RepoLayout.releaseFile(model, environment));
    if (kustomization.isEmpty() || releaseFile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(read(kustomization.get(), releaseFile.get()));
  }

  boolean pins(PinnedImage pinned, String pinnedVersion) {
    return image != null && image.equals(KustomizationImages.Entry.pinning(pinned))
        && Objects.equals(version, pinnedVersion);
  }

  /** The released image, when the overlay pins a complete one. */
  Optional<PinnedImage> pinnedImage() {
    return image == null ? Optional.empty() : image.image();
  }

  /** {@code clicks:3 (registry/serving@sha256:...)}, or a note that nothing is released. */
  String describe(String model) {
    return pinnedImage().map(pinned -> model + ":" + version + " (" + pinned + ")").orElse("nothing released yet");
  }
}
