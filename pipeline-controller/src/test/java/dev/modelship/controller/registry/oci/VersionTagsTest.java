package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionTagsTest {

  @Test
  void versionIsWhatFollowsTheLastDashSoNamesMayHaveDashes() throws Exception {
    ModelVersionRef ref = ModelVersionRef.parse("click-ctr-2:17");

    assertThat(VersionTags.tagOf(ref)).isEqualTo("click-ctr-2-17");
    assertThat(VersionTags.refOf("click-ctr-2-17")).contains(ref);
  }

  @Test
  void tagsThatAreNotVersionsAreIgnored() {
    List<String> tags = List.of("latest", "clicks-03", "clicks-0", "-3", "clicks-", "clicks-x", "_a-1", "a..b-1",
        "clicks-2", "Views-1", "clicks-10", "clicks-1");

    assertThat(VersionTags.refsOf(tags)).extracting(ModelVersionRef::toString)
        .containsExactly("Views:1", "clicks:1", "clicks:2", "clicks:10");
  }

  @Test
  void refusesANameTooLongForATag() {
    ModelVersionRef ref = new ModelVersionRef("m".repeat(126), 12);

    assertThatThrownBy(() -> VersionTags.tagOf(ref))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(RegistryException.Kind.INVALID))
        .hasMessageContaining("would have 129 characters, at most 128");
  }
}
