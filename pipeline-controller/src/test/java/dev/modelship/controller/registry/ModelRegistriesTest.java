package dev.modelship.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRegistriesTest {

  @Test
  void aPathOpensAFileSystemRegistryAtThatAbsolutePath() throws Exception {
    ModelRegistry registry = ModelRegistries.open("file:///srv/models/../registry", RegistryOptions.defaults(),
        location -> {
          throw new AssertionError("not an OCI location");
        });

    assertThat(registry).isInstanceOfSatisfying(FileSystemModelRegistry.class,
        fs -> assertThat(fs.root()).isEqualTo(Path.of("/srv/registry")));
    assertThat(((FileSystemModelRegistry) ModelRegistries.open("relative", RegistryOptions.defaults(), null)).root())
        .isEqualTo(Path.of("relative").toAbsolutePath());
  }

  @Test
  void anOciLocationIsHandedToTheOciBackendParsed() throws Exception {
    List<RegistryLocation> asked = new ArrayList<>();
    ModelRegistry fromBackend = new FileSystemModelRegistry(Path.of("/unused"));

    ModelRegistry registry = ModelRegistries.open("oci://localhost:5000/modelship/models",
        RegistryOptions.defaults(), location -> {
          asked.add(location);
          return fromBackend;
        });

    assertThat(registry).isSameAs(fromBackend);
    assertThat(asked).containsExactly(RegistryLocation.oci("localhost", 5000, "modelship/models"));
  }

  @Test
  void anOciLocationWithoutABackendIsAConfigurationError() {
    assertThatThrownBy(() -> ModelRegistries.open("oci://localhost:5000/models", RegistryOptions.defaults(), null))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("oci://localhost:5000/models").contains("no OCI backend");
        });
  }

  @Test
  void anUnsupportedLocationIsAConfigurationError() {
    assertThatThrownBy(() -> ModelRegistries.open("http://localhost/models", RegistryOptions.defaults(), null))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("scheme 'http'");
        });
  }

  @Test
  void registryOptionsNeverPrintThePasswordAndRefuseHalfCredentials() {
    RegistryOptions options = new RegistryOptions(true, "robot", "s3cret", Duration.ofSeconds(5));

    assertThat(options.toString()).contains("robot").doesNotContain("s3cret");
    assertThat(options.hasCredentials()).isTrue();
    assertThat(RegistryOptions.defaults().hasCredentials()).isFalse();
    assertThatThrownBy(() -> new RegistryOptions(false, "robot", null, Duration.ofSeconds(5)))
        .hasMessageContaining("give both or neither");
    assertThatThrownBy(() -> new RegistryOptions(false, null, null, Duration.ZERO))
        .hasMessageContaining("timeout must be positive");
  }
}
