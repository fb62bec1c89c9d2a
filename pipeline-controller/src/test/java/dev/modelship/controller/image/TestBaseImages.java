package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.modelship.controller.registry.oci.DistributionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Base images for tests that look at an image's structure, not at it running. */
public final class TestBaseImages {
  private TestBaseImages() {
  }

  /**
   * A one-layer base ({@code /etc/modelship-test-base}) pushed to {@code registry} as {@code base/tiny:1}; returns
   * its reference.
   */
  public static String tiny(DistributionRegistry registry, Path work) throws Exception {
    Path marker = Files.writeString(Files.createDirectories(work).resolve("marker"), "a test base image\n");
    String reference = registry.authority() + "/base/tiny:1";
    Jib.fromScratch()
        .addFileEntriesLayer(FileEntriesLayer.builder().setName("base")
            .addEntry(marker, AbsoluteUnixPath.get("/etc/modelship-test-base")).build())
        .setCreationTime(Instant.EPOCH)
        .setFormat(ImageFormat.OCI)
        .containerize(Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true)
            .setBaseImageLayersCache(work.resolve("jib-cache")).setApplicationLayersCache(work.resolve("jib-cache")));
    return reference;
  }
}
