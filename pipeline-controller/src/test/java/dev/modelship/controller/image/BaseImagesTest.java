package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.image.RuntimeDistribution.OrtBuild;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaseImagesTest {
  private static final BaseImages DEFAULTS = BaseImages.fromEnvironment(Map.of());

  @Test
  void aCpuImageStartsFromTheGivenBaseElseTheConfiguredElseTemurin() throws Exception {
    assertThat(DEFAULTS.choose(null, false, ImagePlatform.LINUX_AMD64, OrtBuild.CPU, "rt"))
        .isEqualTo("eclipse-temurin:17-jre");
    assertThat(BaseImages.fromEnvironment(Map.of("MODELSHIP_BASE_IMAGE", "mine/jre:17"))
        .choose(null, false, ImagePlatform.LINUX_ARM64, OrtBuild.CPU, "rt")).isEqualTo("mine/jre:17");
    assertThat(DEFAULTS.choose("given:1", false, ImagePlatform.LINUX_AMD64, OrtBuild.CPU, "rt")).isEqualTo("given:1");
  }

  @Test
  void aGpuImageNeedsTheGpuRuntimeAndACudaBase() throws Exception {
    assertThatThrownBy(() -> DEFAULTS.choose("cuda:1", true, ImagePlatform.LINUX_AMD64, OrtBuild.CPU, "rt"))
        .isInstanceOfSatisfying(ImageBuildException.class, e -> assertThat(e.kind())
            .isEqualTo(ImageBuildException.Kind.INVALID))
        .hasMessageContaining("--gpu needs the serving runtime built with -Pgpu").hasMessageContaining("rt");
    assertThatThrownBy(() -> DEFAULTS.choose(null, true, ImagePlatform.LINUX_AMD64, OrtBuild.GPU, "rt"))
        .hasMessageContaining("give --base IMAGE or set MODELSHIP_GPU_BASE_IMAGE");
    assertThat(BaseImages.fromEnvironment(Map.of("MODELSHIP_GPU_BASE_IMAGE", "team/cuda-jre:12"))
        .choose(null, true, ImagePlatform.LINUX_AMD64, OrtBuild.GPU, "rt")).isEqualTo("team/cuda-jre:12");
    assertThat(DEFAULTS.choose("cuda:1", true, ImagePlatform.LINUX_AMD64, OrtBuild.GPU, "rt")).isEqualTo("cuda:1");
  }

  @Test
  void theGpuRuntimeIsNotPackedIntoACpuImageNorBuiltForArm() {
    assertThatThrownBy(() -> DEFAULTS.choose(null, false, ImagePlatform.LINUX_AMD64, OrtBuild.GPU, "rt"))
        .hasMessageContaining("is the GPU build");
    assertThatThrownBy(() -> DEFAULTS.choose("cuda:1", true, ImagePlatform.LINUX_ARM64, OrtBuild.GPU, "rt"))
        .hasMessageContaining("linux/amd64 only");
  }
}
