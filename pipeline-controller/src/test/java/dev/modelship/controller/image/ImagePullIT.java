package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.oci.DistributionRegistry;
import dev.modelship.controller.registry.oci.OciClientContext;
import dev.modelship.controller.registry.oci.OciImagePuller;
import dev.modelship.controller.rollout.local.ImageUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine's image store pulls a released image it does not hold from a real OCI registry (Debian's
 * docker-registry on loopback) by digest: the archive holds exactly the pushed manifest, and it unpacks into the
 * serving runtime and the model. Errors name the image and the cause.
 */
class ImagePullIT {
  @TempDir
  Path dir;

  private LocalImageStore store(Set<String> insecure) {
    return new LocalImageStore(dir.resolve("images")).pullingWith(new OciImagePuller(insecure,
        new OciClientContext(Clock.systemUTC(), Map.of(), dir.resolve("no-docker-config.json"))));
  }

  @Test
  void anImageReleasedFromARegistryIsPulledOnceByDigestAndUnpacks() throws Exception {
    try (DistributionRegistry registry = DistributionRegistry.start(dir.resolve("registry"))) {
      ImageRef image = build(registry);
      LocalImageStore store = store(Set.of(registry.authority()));

      LocalImageStore.Stored stored = store.resolve(image.pinned());
      assertThat(stored.digest()).isEqualTo(image.digest());
      assertThat(LocalImageStore.manifestDigest(stored.archive())).isEqualTo(image.digest());
      Path root = new ImageUnpacker(dir.resolve("unpacked")).unpack(stored.archive(), stored.digest());
      assertThat(root.resolve("app/serving-runtime.jar")).isRegularFile();
      assertThat(root.resolve("models/clicks/1/model.onnx")).isRegularFile();

      int requests = registry.requests().size();
      assertThat(store.resolve(image.pinned()).archive()).isEqualTo(stored.archive());
      assertThat(registry.requests()).as("the second resolve pulls nothing").hasSize(requests);
    }
  }

  @Test
  void aMissingDigestAndAPlainHttpRegistryNotListedAsInsecureAreClearErrors() throws Exception {
    try (DistributionRegistry registry = DistributionRegistry.start(dir.resolve("registry"))) {
      ImageRef image = build(registry);
      String missing = registry.authority() + "/serving@sha256:" + "0".repeat(64);
      assertThatThrownBy(() -> store(Set.of(registry.authority())).resolve(missing)).isInstanceOf(IOException.class)
          .hasMessageContaining("cannot pull " + missing + ": the registry has no manifest sha256:" + "0".repeat(64));
      assertThatThrownBy(() -> store(Set.of()).resolve(image.pinned())).isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot pull " + image.pinned() + ":");
      try (var files = Files.list(dir.resolve("images"))) {
        assertThat(files.toList()).as("nothing half-written is left in the store").isEmpty();
      }
    }
  }

  @Test
  void theLocalStoresOwnNamesAreNeverPulled() {
    String local = LocalImageStore.REPOSITORY + "@sha256:" + "1".repeat(64);
    assertThatThrownBy(() -> store(Set.of()).resolve(local)).isInstanceOf(IOException.class)
        .hasMessageContaining("is not in the local image store");
  }

  private ImageRef build(DistributionRegistry registry) throws Exception {
    ImageBuilder builder = new ImageBuilder(RuntimeDistribution.locate(Map.of(), Path.of(""),
        RuntimeDistribution.controllerCode()), new BaseImages(null, null), Map.of(), dir.resolve("home"),
        dir.resolve("jib-cache"), "test");
    return builder.build(ImagePackages.request(dir, "clicks", 1, ImageTarget.parse(registry.authority() + "/serving"),
        "scratch").withInsecureRegistries(Set.of(registry.authority())));
  }
}
