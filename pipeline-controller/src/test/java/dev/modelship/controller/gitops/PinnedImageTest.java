package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PinnedImageTest {
  private static final String DIGEST = "sha256:" + "0a".repeat(32);

  @Test
  void parsesRegistryWithPortTagAndDigest() {
    PinnedImage image = PinnedImage.parse("127.0.0.1:5000/models/serving:clicks-3@" + DIGEST);

    assertThat(image).isEqualTo(new PinnedImage("127.0.0.1:5000/models/serving", "clicks-3", DIGEST));
    assertThat(image.reference()).isEqualTo("127.0.0.1:5000/models/serving:clicks-3@" + DIGEST);
  }

  @Test
  void theTagIsOptionalAndAPortIsNotATag() {
    assertThat(PinnedImage.parse("registry.local:5000/serving@" + DIGEST))
        .isEqualTo(new PinnedImage("registry.local:5000/serving", null, DIGEST));
  }

  @Test
  void refusesAnImageThatIsNotPinnedByDigest() {
    assertThatThrownBy(() -> PinnedImage.parse("127.0.0.1:5000/models/serving:latest"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an image pinned by digest");
    assertThatThrownBy(() -> PinnedImage.parse("serving@sha256:abc")).hasMessageContaining("64 lowercase hex");
    assertThatThrownBy(() -> PinnedImage.parse("Models/Serving@" + DIGEST)).hasMessageContaining("repository");
  }
}
