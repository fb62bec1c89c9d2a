package dev.modelship.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RegistryLocationTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/srv/modelship/registry      | /srv/modelship/registry",
      ".modelship/registry          | .modelship/registry",
      "registry                     | registry",
      "./registry                   | ./registry",
      "file:/srv/registry           | /srv/registry",
      "file:///srv/registry         | /srv/registry",
      "FILE:///srv/registry         | /srv/registry",
      "file://localhost/srv/registry| /srv/registry",
      "file:relative/registry       | relative/registry",
      "file:///srv/my%20registry    | /srv/my registry",
      "'  /srv/registry  '          | /srv/registry"})
  void pathsAndFileUrlsAreFileRegistries(String text, String path) {
    RegistryLocation location = RegistryLocation.parse(text);

    assertThat(location.scheme()).isEqualTo(RegistryLocation.Scheme.FILE);
    assertThat(location.path()).isEqualTo(Path.of(path));
    assertThat(location.host()).isNull();
    assertThat(location.port()).isNull();
    assertThat(location.repository()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "oci://localhost:5000/modelship/models | localhost          | 5000 | modelship/models",
      "oci://registry.example.com/team/models| registry.example.com| -    | team/models",
      "OCI://Registry.Example.com/models/    | registry.example.com| -    | models",
      "oci://10.0.0.7:443/a.b/c_d/e__f/g--h  | 10.0.0.7           | 443  | a.b/c_d/e__f/g--h",
      "oci://[::1]:5000/models               | [::1]              | 5000 | models"})
  void ociUrlsNameHostPortAndRepository(String text, String host, Integer port, String repository) {
    RegistryLocation location = RegistryLocation.parse(text);

    assertThat(location.scheme()).isEqualTo(RegistryLocation.Scheme.OCI);
    assertThat(location.host()).isEqualTo(host);
    assertThat(location.port()).isEqualTo(port);
    assertThat(location.repository()).isEqualTo(repository);
    assertThat(location.path()).isNull();
  }

  @Test
  void anOciLocationPrintsAsTheUrlItCameFrom() {
    assertThat(RegistryLocation.parse("oci://localhost:5000/modelship/models"))
        .hasToString("oci://localhost:5000/modelship/models");
    assertThat(RegistryLocation.parse("oci://ghcr.io/acme/models")).hasToString("oci://ghcr.io/acme/models");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://localhost:5000/models        | scheme 'http', which is not supported",
      "https://ghcr.io/acme                | scheme 'https', which is not supported",
      "s3://bucket/models                  | scheme 's3', which is not supported",
      "oci:localhost/models                | must be oci://HOST[:PORT]/REPOSITORY",
      "oci://localhost:5000                | is not oci://HOST[:PORT]/REPOSITORY",
      "oci://localhost:5000/               | names no repository",
      "oci://localhost:99999/models         | ports are 1 to 65535",
      "oci://localhost:0/models            | ports are 1 to 65535",
      "oci://ghcr.io/acme/models:v1        | has a tag or digest",
      "oci://ghcr.io/acme/models@sha256:ab | has a tag or digest",
      "oci://ghcr.io/Acme/Models           | not a valid OCI repository name",
      "oci://ghcr.io/acme//models          | not a valid OCI repository name",
      "oci://ghcr.io/acme/-models          | not a valid OCI repository name",
      "oci://ghcr.io/models?x=1            | query or fragment",
      "oci://bad_host/models               | is not oci://HOST[:PORT]/REPOSITORY",
      "file://otherhost/srv/registry       | a file registry must be on this machine",
      "file:///srv/registry?x=1            | query or fragment",
      "file:                               | empty path",
      "file://                             | not a valid file URL"})
  void anythingElseIsAConfigurationErrorNamingTheProblem(String text, String problem) {
    assertThatThrownBy(() -> RegistryLocation.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining(text);
  }

  @Test
  void credentialsInAnOciUrlAreRefusedWithoutRepeatingThem() {
    assertThatThrownBy(() -> RegistryLocation.parse("oci://robot:s3cret@ghcr.io/acme/models"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contains credentials").hasMessageContaining("oci://****@ghcr.io/acme/models")
        .hasMessageNotContaining("s3cret").hasMessageNotContaining("robot");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void anEmptyLocationListsTheAcceptedForms(String text) {
    assertThatThrownBy(() -> RegistryLocation.parse(text))
        .hasMessageContaining("is empty").hasMessageContaining("oci://HOST[:PORT]/REPOSITORY");
    assertThatThrownBy(() -> RegistryLocation.parse(null)).hasMessageContaining("is empty");
  }

  @Test
  void aLocationCannotMixTheFieldsOfBothSchemes() {
    assertThatThrownBy(() -> new RegistryLocation(RegistryLocation.Scheme.FILE, Path.of("x"), "host", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RegistryLocation(RegistryLocation.Scheme.OCI, null, "host", null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
