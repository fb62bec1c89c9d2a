package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PublishedVersion;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelArtifactTest {
  private static final ModelVersionRef REF = ModelVersionRef.parse("clicks:4");
  private static final Instant CREATED = Instant.parse("2026-02-03T04:05:06.789Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelPackage pkg;
  private ModelArtifact artifact;

  @BeforeEach
  void writePackage(@TempDir Path folder) throws Exception {
    pkg = TestPackages.write(folder, "clicks", 41);
    artifact = ModelArtifact.of(REF, pkg, CREATED);
  }

  @Test
  void manifestReadsBackAsTheSameVersion() throws Exception {
    ModelArtifact read = ModelArtifact.parse(artifact.manifestJson(), REF, "test", Long.MAX_VALUE);

    assertThat(read).isEqualTo(artifact);
    assertThat(read.publishedVersion()).isEqualTo(new PublishedVersion(REF, pkg.digest(), pkg.fileDigests(),
        Instant.parse("2026-02-03T04:05:06Z")));
  }

  @Test
  void refusesAnythingThatIsNotAModelshipManifest() {
    assertThatThrownBy(() -> ModelArtifact.parse("<html>".getBytes(StandardCharsets.UTF_8), REF, "clicks:4 at x", 1))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessage("clicks:4 at x: the manifest is not JSON");
    assertThatThrownBy(() -> ModelArtifact.parse(mutated(manifest -> manifest.remove("artifactType")), REF, "x", 1))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.UNAVAILABLE))
        .hasMessageContaining("holds an artifact without artifactType, not a Modelship model");
  }

  static Stream<Arguments> inconsistentManifests() {
    return Stream.of(
        refusal("a layer titled outside the package", manifest -> layer(manifest, 0).put(ModelArtifact.TITLE,
            "../../etc/passwd"), "refusing a layer titled '../../etc/passwd'"),
        refusal("a layer without a title", manifest -> layer(manifest, 0).remove(ModelArtifact.TITLE),
            "refusing a layer titled nothing"),
        refusal("two layers with one title", manifest -> layer(manifest, 1).put(ModelArtifact.TITLE,
            ModelPackage.HOLDOUT_FILE), "two layers are titled 'holdout.csv'"),
        refusal("no model layer", manifest -> ((ArrayNode) manifest.get("layers")).remove(1),
            "no layer holds model.onnx"),
        refusal("a file of the wrong media type", manifest -> ((ObjectNode) manifest.get("layers").get(1))
            .put("mediaType", "text/csv"), "layer 'model.onnx' has media type 'text/csv'"),
        refusal("a digest that is not sha256 hex", manifest -> ((ObjectNode) manifest.get("layers").get(1))
            .put("digest", "sha256:../../x"), "layer 'model.onnx' has no sha256 digest ('sha256:../../x')"),
        refusal("layers that do not add up to the package digest", manifest -> ((ObjectNode) manifest.get("layers")
            .get(1)).put("digest", "sha256:" + "0".repeat(64)), "the layers do not add up to the package digest"),
        refusal("a manifest of another version", manifest -> ((ObjectNode) manifest.get("annotations"))
            .put(ModelArtifact.MODEL_VERSION, "5"), "the manifest says it is 'clicks:5'"),
        refusal("a negative size", manifest -> ((ObjectNode) manifest.get("layers").get(1)).put("size", -1),
            "layer 'model.onnx' has no valid size"));
  }

  @ParameterizedTest(name = "refuses {0}")
  @MethodSource("inconsistentManifests")
  void refusesAnInconsistentOrHostileManifest(String what, Consumer<ObjectNode> breakIt, String message) {
    assertThatThrownBy(() -> ModelArtifact.parse(mutated(breakIt), REF, "test", Long.MAX_VALUE))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining(message);
  }

  @Test
  void refusesALayerAboveTheSizeLimit() {
    long modelSize = artifact.layers().get(1).size();

    assertThatThrownBy(() -> ModelArtifact.parse(artifact.manifestJson(), REF, "test", modelSize - 1))
        .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(Kind.INVALID))
        .hasMessageContaining("layer 'model.onnx' has " + modelSize + " bytes, more than the limit of "
            + (modelSize - 1));
  }

  private static Arguments refusal(String what, Consumer<ObjectNode> breakIt, String message) {
    return Arguments.of(what, breakIt, message);
  }

  /** Layers are in file-name order: holdout.csv, model.onnx, modelship.yaml. */
  private static ObjectNode layer(ObjectNode manifest, int index) {
    return (ObjectNode) manifest.get("layers").get(index).get("annotations");
  }

  private byte[] mutated(Consumer<ObjectNode> change) throws Exception {
    ObjectNode manifest = (ObjectNode) JSON.readTree(artifact.manifestJson());
    change.accept(manifest);
    return JSON.writeValueAsBytes(manifest);
  }
}
