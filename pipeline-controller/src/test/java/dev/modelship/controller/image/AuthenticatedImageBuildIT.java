package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.oci.DistributionRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing to a registry that wants a password, over TLS (a self-signed certificate, so on the insecure list):
 * credentials from the environment and from the Docker config, never in the image, never shown.
 */
class AuthenticatedImageBuildIT {
  private static final String USER = "builder";
  private static final String PASSWORD = "s3cret-Pa55word";

  @TempDir
  static Path shared;
  static DistributionRegistry plain;
  static DistributionRegistry secured;
  static String base;
  static RuntimeDistribution runtime;

  @TempDir
  Path dir;

  @BeforeAll
  static void startRegistries() throws Exception {
    plain = DistributionRegistry.start(shared.resolve("plain"));
    base = TestBaseImages.tiny(plain, shared.resolve("base"));
    secured = DistributionRegistry.startWithTls(shared.resolve("secured"), USER, PASSWORD);
    runtime = RuntimeDistribution.locate(Map.of(), Path.of(""), RuntimeDistribution.controllerCode());
  }

  @AfterAll
  static void stopRegistries() {
    for (DistributionRegistry registry : new DistributionRegistry[] {plain, secured}) {
      if (registry != null) {
        registry.close();
      }
    }
  }

  private ImageBuilder builder(Map<String, String> env, Path home) {
    return new ImageBuilder(runtime, new BaseImages(null, null), env, home, shared.resolve("jib-cache"), "test");
  }

  private ImageRequest request(String repository) throws Exception {
    return ImagePackages.request(dir, "clicks", 1, ImageTarget.parse(secured.authority() + "/" + repository), base)
        .withInsecureRegistries(Set.of(plain.authority(), secured.authority()));
  }

  @Test
  void credentialsFromTheEnvironmentPushTheImageAndNeverReachIt() throws Exception {
    List<ImageBuildEvent> events = new ArrayList<>();
    ImageBuilder builder = builder(Map.of("MODELSHIP_IMAGE_REGISTRY_USERNAME", USER,
        "MODELSHIP_IMAGE_REGISTRY_PASSWORD", PASSWORD), dir.resolve("home"));

    ImageRef image = builder.build(request("env"), events::add);

    RegistryImages images = new RegistryImages(secured, USER, PASSWORD);
    RegistryImages.Manifest manifest = images.manifest("env", "clicks-1");
    assertThat(manifest.digest()).isEqualTo(image.digest());
    List<byte[]> contents = new ArrayList<>();
    contents.add(images.blob("env", manifest.json().path("config").path("digest").asText()));
    for (String layer : manifest.layers()) {
      contents.add(images.layerTar("env", layer));
    }
    String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    for (byte[] content : contents) {
      String text = new String(content, StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain(PASSWORD).doesNotContain(basic);
    }
    assertThat(events.toString()).doesNotContain(PASSWORD).doesNotContain(basic);
  }

  @Test
  void credentialsFromTheDockerConfigPushTheImage() throws Exception {
    Path home = dir.resolve("home");
    String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), "{\"auths\": {\"" + secured.authority()
        + "\": {\"auth\": \"" + auth + "\"}}}");

    ImageRef image = builder(Map.of(), home).build(request("dockerconfig"));

    assertThat(new RegistryImages(secured, USER, PASSWORD).manifest("dockerconfig", "clicks-1").digest())
        .isEqualTo(image.digest());
  }

  @Test
  void aWrongPasswordFailsWithoutShowingItAndTagsNothing() throws Exception {
    String wrong = "wrong-" + PASSWORD;
    ImageBuilder builder = builder(Map.of("MODELSHIP_IMAGE_REGISTRY_USERNAME", USER,
        "MODELSHIP_IMAGE_REGISTRY_PASSWORD", wrong), dir.resolve("home"));

    assertThatThrownBy(() -> builder.build(request("wrong"))).isInstanceOfSatisfying(ImageBuildException.class,
        e -> {
          assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.UNAUTHORIZED);
          assertThat(e.getMessage()).contains(secured.authority() + "/wrong")
              .contains("MODELSHIP_IMAGE_REGISTRY_USERNAME")
              .doesNotContain(wrong);
          for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            assertThat(String.valueOf(cause.getMessage())).doesNotContain(wrong);
          }
        });
    assertThat(secured.snapshot("wrong", USER, PASSWORD)).isEqualTo("tags of wrong\n");
  }

  @Test
  void noCredentialsFailAsUnauthorized() throws Exception {
    ImageBuilder builder = builder(Map.of(), dir.resolve("empty-home"));

    assertThatThrownBy(() -> builder.build(request("anonymous"))).isInstanceOfSatisfying(ImageBuildException.class,
        e -> { assertThat(e.kind()).isEqualTo(ImageBuildException.Kind.UNAUTHORIZED); });
    assertThat(secured.snapshot("anonymous", USER, PASSWORD)).isEqualTo("tags of anonymous\n");
  }
}
