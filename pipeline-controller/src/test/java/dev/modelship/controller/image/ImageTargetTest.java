package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageTargetTest {

  @Test
  void aRepositoryKeepsItsRegistryAndPort() {
    ImageTarget target = ImageTarget.parse("127.0.0.1:5000/team/serving");

    assertThat(target).isInstanceOf(ImageTarget.Repository.class);
    assertThat(target.name()).isEqualTo("127.0.0.1:5000/team/serving");
    assertThat(target.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(((ImageTarget.Repository) target).withTag("clicks-3").toString())
        .isEqualTo("127.0.0.1:5000/team/serving:clicks-3");
  }

  @Test
  void aDockerHubRepositoryIsNamedAsPeopleWriteIt() {
    ImageTarget target = ImageTarget.parse("team/serving");

    assertThat(target.name()).isEqualTo("team/serving");
    assertThat(target.registry()).isEqualTo("registry-1.docker.io");
  }

  @Test
  void anOciArchiveIsAnAbsoluteFile() {
    ImageTarget target = ImageTarget.parse("oci-archive:build/clicks.tar");

    assertThat(target).isEqualTo(new ImageTarget.OciArchive(Path.of("build/clicks.tar").toAbsolutePath()));
    assertThat(target.name()).isEqualTo("oci-archive:" + Path.of("build/clicks.tar").toAbsolutePath());
    assertThat(target.registry()).isNull();
  }

  @Test
  void aTagOrDigestInTheTargetIsRefusedRatherThanReplaced() {
    for (String text : new String[] {"127.0.0.1:5000/serving:latest", "ghcr.io/team/serving:v1",
        "ghcr.io/team/serving@sha256:" + "a".repeat(64)}) {
      assertThatThrownBy(() -> ImageTarget.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("names a tag or digest; give the repository only");
    }
  }

  @Test
  void emptyOrMalformedTargetsAreRefusedWithTheFormsAccepted() {
    assertThatThrownBy(() -> ImageTarget.parse(" ")).hasMessageContaining("oci-archive:PATH");
    assertThatThrownBy(() -> ImageTarget.parse("oci-archive:")).hasMessageContaining("names no file");
    assertThatThrownBy(() -> ImageTarget.parse("Bad Repo/x")).hasMessageContaining("is not an image repository");
  }
}
