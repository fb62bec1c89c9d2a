package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReleaseVersionFileTest {
  private static final String FILE = "# Written by modelship release.\napiVersion: argoproj.io/v1alpha1\n"
      + "kind: Rollout\nmetadata:\n  name: clicks\n  labels:\n    team: ads  # owner\n"
      + "    modelship.dev/version: \"2\"  # the served version\n";

  @Test
  void setsTheVersionOnItsLineKeepingTheComment() throws Exception {
    String edited = ReleaseVersionFile.withVersion(FILE, "3");

    assertThat(edited).isEqualTo(FILE.replace("\"2\"  # the served", "\"3\"  # the served"));
    assertThat(ReleaseVersionFile.version(edited)).contains("3");
  }

  @Test
  void refusesAFileWithoutTheLabel() {
    assertThatThrownBy(() -> ReleaseVersionFile.withVersion("kind: Rollout\nmetadata:\n  name: x\n", "3"))
        .isInstanceOf(GitOpsException.class).hasMessageContaining("no 'modelship.dev/version:' label line");
  }
}
