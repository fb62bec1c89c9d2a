package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The OCI model registry against a real registry with htpasswd basic auth. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedRegistryIT {
  private static final String USER = "modeler";
  private static final String PASSWORD = "s3cret-Pa55word";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private DistributionRegistry registry;

  @BeforeAll
  void startRegistry(@TempDir Path folder) throws IOException {
    registry = DistributionRegistry.start(folder, USER, PASSWORD);
  }

  @AfterAll
  void stopRegistry() {
    registry.close();
  }

  @Test
  void publishesAndFetchesWithCredentialsFromTheOptions(@TempDir Path work) throws Exception {
    OciModelRegistry models = new OciModelRegistry(registry.address("options"),
        new OciRegistryOptions(true, USER, PASSWORD, TIMEOUT), context(Map.of(), null));
    ModelPackage pkg = TestPackages.write(work.resolve("pkg"), "clicks", 21);

    assertThat(models.publish(ModelVersionRef.parse("clicks:1"), pkg).created()).isTrue();
    models.fetch(ModelVersionRef.parse("clicks:1"), work.resolve("fetched"));

    TestPackages.assertSameFiles(work.resolve("fetched"), pkg.directory());
  }

  @Test
  void takesCredentialsFromTheEnvironmentOrTheDockerConfig(@TempDir Path work) throws Exception {
    OciRegistryOptions noCredentials = new OciRegistryOptions(true, null, null, TIMEOUT);
    OciModelRegistry fromEnvironment = new OciModelRegistry(registry.address("environment"), noCredentials,
        context(Map.of(CredentialLookup.USERNAME_VARIABLE, USER, CredentialLookup.PASSWORD_VARIABLE, PASSWORD), null));
    Path dockerConfig = Files.writeString(work.resolve("config.json"), "{\"auths\": {\"127.0.0.1:" + registry.port()
        + "\": {\"auth\": \"" + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(
            StandardCharsets.UTF_8)) + "\"}}}");
    OciModelRegistry fromDockerConfig = new OciModelRegistry(registry.address("environment"), noCredentials,
        context(Map.of(), dockerConfig));

    fromEnvironment.publish(ModelVersionRef.parse("clicks:1"), TestPackages.write(work.resolve("pkg"), "clicks", 22));

    assertThat(fromDockerConfig.versions("clicks")).extracting(version -> version.ref().toString())
        .containsExactly("clicks:1");
  }

  @Test
  void wrongPasswordIsUnauthorizedChangesNothingAndRevealsNothing(@TempDir Path work) throws Exception {
    String wrongPassword = "not-the-Pa55word";
    OciModelRegistry models = new OciModelRegistry(registry.address("wrong"),
        new OciRegistryOptions(true, USER, wrongPassword, TIMEOUT), context(Map.of(), null));
    new OciModelRegistry(registry.address("wrong"), new OciRegistryOptions(true, USER, PASSWORD, TIMEOUT),
        context(Map.of(), null)).publish(ModelVersionRef.parse("clicks:1"), TestPackages.write(work.resolve("v1"),
        "clicks", 23));
    String before = registry.snapshot("wrong", USER, PASSWORD);
    ModelPackage v2 = TestPackages.write(work.resolve("v2"), "clicks", 24);

    assertThatThrownBy(() -> models.publish(ModelVersionRef.parse("clicks:2"), v2))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAUTHORIZED))
        .hasMessageContaining("OCI registry 127.0.0.1:" + registry.port() + " refused")
        .hasMessageContaining("the credentials from the registry options were not accepted")
        .hasMessageNotContaining(wrongPassword)
        .hasMessageNotContaining(Base64.getEncoder().encodeToString((USER + ":" + wrongPassword).getBytes(
            StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> models.fetch(ModelVersionRef.parse("clicks:1"), work.resolve("out/clicks")))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAUTHORIZED));

    assertThat(registry.snapshot("wrong", USER, PASSWORD)).isEqualTo(before).contains("clicks-1");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void missingCredentialsAreUnauthorizedWithAHint() {
    OciModelRegistry models = new OciModelRegistry(registry.address("anonymous"),
        new OciRegistryOptions(true, null, null, TIMEOUT), context(Map.of(), null));

    assertThatThrownBy(models::models)
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAUTHORIZED))
        .hasMessageContaining("no credentials were given")
        .hasMessageContaining(CredentialLookup.USERNAME_VARIABLE);
  }

  private static OciClientContext context(Map<String, String> environment, Path dockerConfig) {
    return new OciClientContext(Clock.systemUTC(), environment, dockerConfig);
  }
}
