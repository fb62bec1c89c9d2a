package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OciRegistryAddressTest {

  @Test
  void parsesAddressesWithAndWithoutSchemeAndPort() {
    assertThat(OciRegistryAddress.parse("oci://localhost:5000/models"))
        .isEqualTo(new OciRegistryAddress("localhost", 5000, "models"));
    assertThat(OciRegistryAddress.parse("ghcr.io/acme/ml/models"))
        .isEqualTo(new OciRegistryAddress("ghcr.io", 443, "acme/ml/models"));
    assertThat(OciRegistryAddress.parse("[::1]:5000/models").authority()).isEqualTo("[::1]:5000");
    assertThat(OciRegistryAddress.parse("localhost:5000/models")).hasToString("oci://localhost:5000/models");
  }

  @Test
  void refusesWhatIsNotAnOciRepositoryAddress() {
    assertThatThrownBy(() -> OciRegistryAddress.parse("http://localhost:5000/models"))
        .hasMessageContaining("plain HTTP is an option, not a URL scheme");
    assertThatThrownBy(() -> OciRegistryAddress.parse("localhost:5000/Models"))
        .hasMessageContaining("'Models' is not an OCI repository name");
    assertThatThrownBy(() -> OciRegistryAddress.parse("localhost:5000"))
        .hasMessageContaining("is not HOST[:PORT]/REPOSITORY");
    assertThatThrownBy(() -> OciRegistryAddress.parse("localhost:http/models"))
        .hasMessageContaining("'http' in 'localhost:http/models' is not a port number");
    assertThatThrownBy(() -> OciRegistryAddress.parse("localhost:70000/models"))
        .hasMessageContaining("port must be 1-65535");
  }

  @Test
  void optionsNeverPrintThePasswordAndWantBothCredentialsOrNeither() {
    OciRegistryOptions options = new OciRegistryOptions(false, "robot", "hunter2", Duration.ofSeconds(5));

    assertThat(options.toString()).contains("robot").doesNotContain("hunter2");
    assertThatThrownBy(() -> new OciRegistryOptions(false, "robot", null, null))
        .hasMessageContaining("username and password go together");
    assertThat(new OciRegistryOptions(false, null, null, null).timeout()).isEqualTo(OciRegistryOptions.DEFAULT_TIMEOUT);
  }
}
