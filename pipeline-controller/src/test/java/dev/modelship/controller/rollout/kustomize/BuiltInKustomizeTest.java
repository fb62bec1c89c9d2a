package dev.modelship.controller.rollout.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the built-in reader refuses (each field it does not read, named with its file), the paths it will not
 * follow, and the image rules it shares with Kustomize. Equality with kubectl is {@link BuiltInKustomizeIT}'s.
 */
class BuiltInKustomizeTest {
  private static final String ROLLOUT = """
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata:
        name: fraud
      spec:
        template:
          spec:
            containers:
              - name: server
                image: modelship-serving
      """;

  @TempDir
  Path temp;
  private Path root;
  private final BuiltInKustomize reader = new BuiltInKustomize();

  @BeforeEach
  void createTheCheckout() throws IOException {
    root = Files.createDirectories(temp.resolve("checkout"));
  }

  private Path app(String kustomization) throws IOException {
    Path app = Files.createDirectories(root.resolve("apps/fraud"));
    Files.writeString(app.resolve("rollout.yaml"), ROLLOUT);
    Files.writeString(app.resolve("kustomization.yaml"), kustomization);
    return app;
  }

  @ParameterizedTest
  @ValueSource(strings = {"configMapGenerator", "secretGenerator", "replacements", "helmCharts", "commonLabels",
      "namePrefix", "nameSuffix", "patchesJson6902", "patchesStrategicMerge", "replicas", "vars", "generators",
      "transformers", "crds", "commonAnnotations", "openapi", "sortOptions"})
  void refusesEachKustomizationFieldItDoesNotReadNamingItAndTheFile(String field) throws IOException {
    Path app = app("resources: [rollout.yaml]\n" + field + ": []\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(KustomizationRefused.class)
        .hasMessageStartingWith("cannot render " + app + ": apps/fraud/kustomization.yaml: the field `" + field
            + "`")
        .hasMessageContaining("install kubectl");
  }

  @Test
  void refusesPatchTargetsAndOptionsItDoesNotRead() throws IOException {
    for (String option : List.of("target: {labelSelector: a=b}", "target: {namespace: x}",
        "target: {annotationSelector: a=b}", "options: {allowNameChange: true}")) {
      Path app = app("resources: [rollout.yaml]\npatches:\n  - patch: '[]'\n    " + option + "\n");

      assertThatThrownBy(() -> reader.render(root, app)).as(option).isInstanceOf(KustomizationRefused.class)
          .hasMessageContaining(": apps/fraud/kustomization.yaml: patches[0].");
    }
  }

  @Test
  void refusesLabelsOnSelectorsAndTemplates() throws IOException {
    for (String option : List.of("includeSelectors", "includeTemplates")) {
      Path app = app("resources: [rollout.yaml]\nlabels:\n  - pairs: {team: risk}\n    " + option + ": true\n");

      assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(KustomizationRefused.class)
          .hasMessageContaining("labels[0]." + option + ": true");
    }
  }

  @Test
  void refusesRemoteResources() throws IOException {
    Path app = app("resources:\n  - https://github.com/team/repo//base?ref=v1\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(KustomizationRefused.class)
        .hasMessageContaining("the remote resource https://github.com/team/repo//base?ref=v1");
  }

  @Test
  void refusesAStrategicMergeOfAListInAKubernetesKind() throws IOException {
    Path app = app("resources: [service.yaml]\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: Service\n"
        + "      metadata: {name: fraud}\n      spec:\n        ports: [{port: 81}]\n");
    Files.writeString(app.resolve("service.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: fraud}\n"
        + "spec:\n  ports: [{port: 80, name: http}]\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(KustomizationRefused.class)
        .hasMessageContaining("strategic-merge patch of the list .spec.ports of Service fraud");
  }

  @Test
  void refusesStrategicMergeDirectivesButWholeObjectDelete() throws IOException {
    Path app = app("resources: [rollout.yaml]\npatches:\n  - patch: |-\n      apiVersion: argoproj.io/v1alpha1\n"
        + "      kind: Rollout\n      metadata: {name: fraud}\n      spec:\n        $retainKeys: [template]\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(KustomizationRefused.class)
        .hasMessageContaining("the directive $retainKeys at .spec");
  }

  @Test
  void refusesANamespaceOverObjectsWhoseReferencesKustomizeRewrites() throws IOException {
    Path app = app("namespace: models\nresources: [rollout.yaml, binding.yaml]\n");
    Files.writeString(app.resolve("binding.yaml"), "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
        + "metadata: {name: fraud}\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(KustomizationRefused.class)
        .hasMessageContaining("namespace with a RoleBinding");
  }

  @Test
  void aJsonPatchWithoutATargetIsAnError() throws IOException {
    Path app = app("resources: [rollout.yaml]\npatches:\n  - patch: |-\n      - {op: add, path: /spec/replicas, "
        + "value: 2}\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(IOException.class)
        .hasMessageContaining("a JSON patch needs a target");
  }

  @Test
  void aStrategicMergeNamingNoObjectIsAnErrorButATargetMatchingNothingIsNot() throws IOException {
    Path named = app("resources: [rollout.yaml]\npatches:\n  - patch: |-\n      apiVersion: argoproj.io/v1alpha1\n"
        + "      kind: Rollout\n      metadata: {name: other}\n      spec: {replicas: 2}\n");

    assertThatThrownBy(() -> reader.render(root, named)).isInstanceOf(IOException.class)
        .hasMessageContaining("Rollout other matches 0 objects, not one");
    Path targeted = app("resources: [rollout.yaml]\npatches:\n  - patch: |-\n      - {op: replace, path: "
        + "/spec/minReplicaCount, value: 3}\n    target: {kind: ScaledObject}\n");
    assertThat(reader.render(root, targeted)).contains("name: \"fraud\"").doesNotContain("minReplicaCount");
  }

  @Test
  void aComponentUnderResourcesAndAKustomizationUnderComponentsAreErrors() throws IOException {
    Path component = Files.createDirectories(root.resolve("components/gpu"));
    Files.writeString(component.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1alpha1\n"
        + "kind: Component\n");
    Path app = app("resources: [rollout.yaml, ../../components/gpu]\n");

    assertThatThrownBy(() -> reader.render(root, app)).hasMessageContaining("components/gpu/kustomization.yaml is a "
        + "Component but is listed under resources");
    Path wrong = app("resources: [rollout.yaml]\ncomponents: [../../components/gpu, ../other]\n");
    Path other = Files.createDirectories(root.resolve("apps/other"));
    Files.writeString(other.resolve("kustomization.yaml"), "resources: []\n");
    assertThatThrownBy(() -> reader.render(root, wrong)).hasMessageContaining("apps/other/kustomization.yaml is a "
        + "Kustomization but is listed under components");
  }

  @Test
  void aFolderThatIncludesItselfIsAnError() throws IOException {
    Path app = app("resources: [rollout.yaml, ../fraud]\n");

    assertThatThrownBy(() -> reader.render(root, app)).hasMessageContaining("apps/fraud includes itself");
  }

  @Test
  void aFolderOutsideTheCheckoutIsNeverRead() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("kustomization.yaml"), "resources: []\n");
    Path app = app("resources: [rollout.yaml, ../../../outside]\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(IOException.class)
        .hasMessageContaining("leaves the repository checkout");
  }

  @Test
  void aSymbolicLinkOutOfTheCheckoutIsNeverFollowed() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("linked"));
    Files.writeString(outside.resolve("kustomization.yaml"), "resources: []\n");
    Path app = app("resources: [rollout.yaml, shared]\n");
    Files.createSymbolicLink(app.resolve("shared"), outside);

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(IOException.class)
        .hasMessageContaining("resources entry shared leaves the repository checkout");
  }

  @Test
  void aFileOutsideTheKustomizationsFolderIsNotRead() throws IOException {
    Path app = app("resources: [rollout.yaml]\npatches:\n  - path: ../secret-patch.yaml\n");
    Files.writeString(root.resolve("apps/secret-patch.yaml"), "[]\n");

    assertThatThrownBy(() -> reader.render(root, app)).isInstanceOf(IOException.class)
        .hasMessageContaining("the file apps/secret-patch.yaml is not in or below apps/fraud");
  }

  @Test
  void anOverlayOutsideTheCheckoutIsNotRendered() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("overlay"));

    assertThatThrownBy(() -> reader.render(root, outside)).hasMessageContaining("leaves the repository checkout");
  }

  @Test
  void imagesSetNameTagAndDigestAsKustomizeDoes() {
    // Expected values are what kubectl kustomize 1.32 (Kustomize 5.5) renders for the same entries.
    List<Kustomization.Image> images = List.of(new Kustomization.Image("one", "uno", null, null),
        new Kustomization.Image("two", null, "new", null), new Kustomization.Image("three", null, "new", null),
        new Kustomization.Image("four", null, null, "sha256:new"),
        new Kustomization.Image("six", "sei", "nn", "sha256:d"),
        new Kustomization.Image("reg.io:5000/seven", null, "x", null));

    assertThat(Transformers.image("one:old", images)).isEqualTo("uno:old");
    assertThat(Transformers.image("two:old", images)).isEqualTo("two:new");
    assertThat(Transformers.image("three@sha256:old", images)).isEqualTo("three:new");
    assertThat(Transformers.image("four:t@sha256:old", images)).isEqualTo("four@sha256:new");
    assertThat(Transformers.image("six:old", images)).isEqualTo("sei:nn@sha256:d");
    assertThat(Transformers.image("reg.io:5000/seven:old", images)).isEqualTo("reg.io:5000/seven:x");
    assertThat(Transformers.image("other/one:old", images)).isEqualTo("other/one:old");
  }
}
