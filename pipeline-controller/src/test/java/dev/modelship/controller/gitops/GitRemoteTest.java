package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitRemoteTest {
  @Test
  void movesCredentialsOutOfAnHttpsUrl() {
    GitRemote remote = GitRemote.of("https://ci:s3cret-token@git.example.com/team/gitops.git", "main",
        GitCredentials.none());

    assertThat(remote.url()).isEqualTo("https://git.example.com/team/gitops.git");
    assertThat(remote.toString()).doesNotContain("s3cret-token");
    assertThat(remote.redact("fatal: s3cret-token rejected")).isEqualTo("fatal: *** rejected");
  }

  @Test
  void turnsALocalPathIntoAnAbsoluteFileUrl() {
    GitRemote remote = GitRemote.of("relative/gitops.git", "main", GitCredentials.none());

    assertThat(remote.isLocal()).isTrue();
    assertThat(remote.localPath()).isEqualTo(Path.of("relative/gitops.git").toAbsolutePath());
    assertThat(remote.url()).isEqualTo("file://" + Path.of("relative/gitops.git").toAbsolutePath());
  }

  @Test
  void anScpLikeAddressIsRemote() {
    GitRemote remote = GitRemote.of("git@git.example.com:team/gitops.git", "main", GitCredentials.none());

    assertThat(remote.isLocal()).isFalse();
    assertThat(remote.localPath()).isNull();
  }

  @Test
  void readsCredentialsFromTheEnvironmentAndNeverPrintsThem() {
    GitCredentials token = GitCredentials.fromEnvironment(Map.of("MODELSHIP_GIT_TOKEN", "ghp_abc"));
    GitCredentials basic = GitCredentials.fromEnvironment(Map.of("MODELSHIP_GIT_USERNAME", "bot",
        "MODELSHIP_GIT_PASSWORD", "pw-123"));

    assertThat(token.secrets()).containsExactly("ghp_abc");
    assertThat(token.toString()).contains("user x-access-token").doesNotContain("ghp_abc");
    assertThat(basic.toString()).contains("user bot").doesNotContain("pw-123");
    assertThatThrownBy(() -> GitCredentials.fromEnvironment(Map.of("MODELSHIP_GIT_PASSWORD", "x")))
        .hasMessageContaining("needs MODELSHIP_GIT_USERNAME");
    assertThatThrownBy(() -> GitCredentials.fromEnvironment(Map.of("MODELSHIP_GIT_TOKEN", "a",
        "MODELSHIP_GIT_USERNAME", "u", "MODELSHIP_GIT_PASSWORD", "b"))).hasMessageContaining("not both");
  }

  @Test
  void refusesBranchNamesThatAreOptionsOrRanges() {
    assertThatThrownBy(() -> GitRemote.of("/tmp/x.git", "--force", GitCredentials.none()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GitRemote.of("/tmp/x.git", "a..b", GitCredentials.none()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
