package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialLookupTest {
  private static final OciRegistryAddress LOCAL = new OciRegistryAddress("localhost", 5000, "models");
  private static final OciRegistryAddress GHCR = new OciRegistryAddress("ghcr.io", 443, "acme/models");
  private static final OciRegistryOptions NONE = new OciRegistryOptions(false, null, null, Duration.ofSeconds(5));
  private static final Map<String, String> ENVIRONMENT = Map.of(CredentialLookup.USERNAME_VARIABLE, "env-user",
      CredentialLookup.PASSWORD_VARIABLE, "env-pass");

  @TempDir
  Path folder;

  @Test
  void optionsComeFirstThenTheEnvironmentThenTheDockerConfig() throws Exception {
    Path dockerConfig = dockerConfig("{\"auths\": {\"localhost:5000\": {\"auth\": \"" + base64("docker-user:pa:ss")
        + "\"}}}");
    OciRegistryOptions withCredentials = new OciRegistryOptions(false, "option-user", "option-pass", null);

    assertThat(CredentialLookup.find(LOCAL, withCredentials, ENVIRONMENT, dockerConfig).orElseThrow())
        .extracting(RegistryCredentials::username, RegistryCredentials::password)
        .containsExactly("option-user", "option-pass");
    assertThat(CredentialLookup.find(LOCAL, NONE, ENVIRONMENT, dockerConfig).orElseThrow())
        .extracting(RegistryCredentials::username, RegistryCredentials::password)
        .containsExactly("env-user", "env-pass");
    assertThat(CredentialLookup.find(LOCAL, NONE, Map.of(), dockerConfig).orElseThrow())
        .extracting(RegistryCredentials::username, RegistryCredentials::password)
        .containsExactly("docker-user", "pa:ss");
  }

  @Test
  void dockerConfigKeysMatchByHostAndPort() throws Exception {
    Path dockerConfig = dockerConfig("{\"auths\": {"
        + "\"https://ghcr.io/v1/\": {\"auth\": \"" + base64("gh:token") + "\"},"
        + "\"localhost:5001\": {\"auth\": \"" + base64("other:port") + "\"}}}");

    assertThat(CredentialLookup.find(GHCR, NONE, Map.of(), dockerConfig).orElseThrow().username()).isEqualTo("gh");
    assertThat(CredentialLookup.find(LOCAL, NONE, Map.of(), dockerConfig)).isEmpty();
    assertThat(CredentialLookup.find(LOCAL, NONE, Map.of(), folder.resolve("absent.json"))).isEmpty();
  }

  @Test
  void halfTheEnvironmentIsAnError() {
    assertThatThrownBy(() -> CredentialLookup.find(LOCAL, NONE, Map.of(CredentialLookup.USERNAME_VARIABLE, "u"), null))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(RegistryException.Kind.INVALID))
        .hasMessageContaining("only MODELSHIP_REGISTRY_USERNAME is set");
  }

  @Test
  void credentialsAreRedactedFromTextAndNeverPrinted() {
    RegistryCredentials credentials = new RegistryCredentials("robot", "hunter2", "test");
    String header = credentials.basicAuthorization();

    assertThat(credentials.redact("sent " + header + " with hunter2")).doesNotContain("hunter2")
        .doesNotContain(header.substring("Basic ".length()));
    assertThat(credentials.toString()).doesNotContain("hunter2");
  }

  private Path dockerConfig(String json) throws Exception {
    return Files.writeString(folder.resolve("config.json"), json);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
