package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRequestTest {
  @TempDir
  static Path dir;
  static ModelPackage pkg;

  @BeforeAll
  static void writePackage() throws Exception {
    pkg = ImagePackages.write(dir.resolve("pkg"), "clicks", 1, Map.of());
  }

  private static ImageRequest request(String name) {
    ModelVersionRef ref = new ModelVersionRef(name, 12);
    return ImageRequest.of(ImagePackages.published(ref, pkg, Instant.parse("2025-05-20T10:15:30.123456Z")), pkg,
        "/registry", ImageTarget.parse("127.0.0.1:5000/serving"));
  }

  @Test
  void theTagIsNameDashVersionAndTheCreationTimeHasWholeSeconds() {
    ImageRequest request = request("clicks");

    assertThat(request.tag()).isEqualTo("clicks-12");
    assertThat(request.created()).isEqualTo(Instant.parse("2025-05-20T10:15:30Z"));
    assertThat(request.platform()).isEqualTo(ImagePlatform.LINUX_AMD64);
    assertThat(request.gpu()).isFalse();
    assertThat(request.baseImage()).isNull();
  }

  @Test
  void aModelNameTooLongForAnImageTagIsRefused() {
    assertThatThrownBy(() -> request("m".repeat(126))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 128 characters");
  }

  @Test
  void extraTagsMustBeValidImageTags() {
    assertThat(request("clicks").withExtraTags(List.of("candidate", "v1.2_3")).extraTags())
        .containsExactly("candidate", "v1.2_3");
    assertThatThrownBy(() -> request("clicks").withExtraTags(List.of("no spaces")))
        .hasMessageContaining("'no spaces' is not a valid image tag");
    assertThatThrownBy(() -> request("clicks").withExtraTags(List.of("-dash"))).hasMessageContaining("not a valid");
  }

  @Test
  void insecureRegistriesMatchExactlyIgnoringCase() {
    ImageRequest request = request("clicks").withInsecureRegistries(Set.of(" Localhost:5000 ", "10.0.0.1"));

    assertThat(request.allowsInsecure("localhost:5000")).isTrue();
    assertThat(request.allowsInsecure("10.0.0.1")).isTrue();
    assertThat(request.allowsInsecure("localhost")).isFalse();
    assertThat(request.allowsInsecure("10.0.0.1:5000")).isFalse();
    assertThat(request.allowsInsecure(null)).isFalse();
  }

  @Test
  void platformsAreThoseOnnxRuntimeHasLibrariesFor() {
    assertThat(ImagePlatform.parse("linux/arm64")).isEqualTo(ImagePlatform.LINUX_ARM64);
    assertThatThrownBy(() -> ImagePlatform.parse("windows/amd64")).hasMessageContaining("is not supported");
    assertThatThrownBy(() -> ImagePlatform.parse("amd64")).hasMessageContaining("write OS/ARCHITECTURE");
  }
}
