package dev.modelship.controller.rollout.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelship.controller.gitops.GitOpsCheckout;
import dev.modelship.controller.gitops.RepoLayout;
import dev.modelship.controller.gitops.ReleaseRequest;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.rollout.CanaryStep;
import dev.modelship.controller.rollout.KustomizeTool;
import dev.modelship.controller.rollout.RolloutParser;
import dev.modelship.controller.rollout.RolloutSpec;
import dev.modelship.controller.testing.GitOpsRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in reader against the real {@code kubectl kustomize} on a GitOps repository after real releases: every
 * overlay, every combination of components, the template's own folders and an edited canary strategy must render
 * the same objects (as parsed YAML trees, in the same order) and the same Rollout for the local engine.
 */
class BuiltInKustomizeIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String MODEL = "fraud";
  private static final String RELEASE_PATCH = "  - path: release.yaml\n";

  @TempDir
  static Path folder;
  private static GitOpsRepo repo;
  private static KustomizeTool kubectl;
  private static final BuiltInKustomize BUILT_IN = new BuiltInKustomize();

  @BeforeAll
  static void releaseToBothEnvironments() throws Exception {
    kubectl = KustomizeTool.locate(System.getenv());
    repo = GitOpsRepo.init(folder.resolve("repo"));
    repo.release(MODEL, 1);
    repo.release(MODEL, 2);
    repo.writer().release(new ReleaseRequest(new ModelVersionRef(MODEL, 3), GitOpsRepo.image(MODEL, 3), "staging",
        MODEL + "-3", null, GitOpsRepo.PIPELINE));
  }

  @Test
  void everyReleasedOverlayRendersAsKubectlDoes() throws Exception {
    Path root = checkout("released");
    for (String environment : List.of("staging", "production")) {
      Path overlay = root.resolve(RepoLayout.overlayFolder(MODEL, environment));
      RolloutSpec rollout = sameRender(root, overlay);

      assertThat(rollout.image()).isEqualTo(GitOpsRepo.image(MODEL, environment.equals("staging") ? 3 : 2)
          .toString());
    }
  }

  @Test
  void everyCombinationOfComponentsRendersAsKubectlDoes() throws Exception {
    Path root = checkout("components");
    int rendered = 0;
    for (String environment : List.of("staging", "production")) {
      for (String traffic : List.of("", "traffic-nginx", "traffic-istio")) {
        for (boolean gpu : List.of(false, true)) {
          for (boolean keda : List.of(false, true)) {
            List<String> components = new ArrayList<>();
            if (!traffic.isEmpty()) {
              components.add(traffic);
            }
            if (gpu) {
              components.add("gpu");
            }
            if (keda) {
              components.add("keda");
            }
            sameRender(root, withComponents(root, environment, components));
            rendered++;
          }
        }
      }
    }
    assertThat(rendered).isEqualTo(24);
  }

  @Test
  void theTemplateArgoCdAndPlatformFoldersRenderAsKubectlDoes() throws Exception {
    Path root = checkout("template");
    for (String path : List.of(RepoLayout.APP_TEMPLATE + "overlays/staging", RepoLayout.APP_TEMPLATE
        + "overlays/production", "argocd", "platform", "rollouts/analysis")) {
      assertThat(objects(BUILT_IN.render(root, root.resolve(path)))).as(path)
          .isEqualTo(objects(kubectl.render(root.resolve(path))));
    }
  }

  @Test
  void anEditedCanaryStrategyAndOverlayPatchesRenderAsKubectlDoes() throws Exception {
    String strategy = repo.read("rollouts/canary/canary-strategy.yaml");
    String staging = repo.read(RepoLayout.kustomization(MODEL, "staging"));
    assertThat(staging).contains(RELEASE_PATCH);
    repo.humanCommit("Faster canary, and staging starts at 5% with three replicas", Map.of(
        "rollouts/canary/canary-strategy.yaml", strategy.replace("setWeight: 25", "setWeight: 30")
            .replace("duration: 2m", "duration: 90s"),
        RepoLayout.kustomization(MODEL, "staging"), staging.replace(RELEASE_PATCH, RELEASE_PATCH + """
              - target:
                  group: argoproj.io
                  kind: Rollout
                  name: fra.*
                patch: |-
                  - op: replace
                    path: /spec/strategy/canary/steps/0/setWeight
                    value: 5
                  - op: add
                    path: /spec/template/spec/containers/0/env/-
                    value: {name: EXTRA, value: "1"}
              - patch: |-
                  apiVersion: argoproj.io/v1alpha1
                  kind: Rollout
                  metadata:
                    name: fraud
                    labels:
                      team: risk
                  spec:
                    replicas: 3
                    strategy:
                      canary:
                        abortScaleDownDelaySeconds: null
            """)));
    Path root = checkout("edited");

    RolloutSpec rollout = sameRender(root, root.resolve(RepoLayout.overlayFolder(MODEL, "staging")));

    assertThat(rollout.steps().get(0)).isEqualTo(new CanaryStep.SetWeight(5));
    assertThat(rollout.steps()).contains(new CanaryStep.SetWeight(30));
    assertThat(rollout.replicas()).isEqualTo(3);
    assertThat(rollout.labels()).containsEntry("team", "risk").containsEntry("modelship.dev/version", "3");
    sameRender(root, root.resolve(RepoLayout.overlayFolder(MODEL, "production")));
  }

  /** Renders with both, asserts the same objects and the same parsed Rollout, and returns that Rollout. */
  private static RolloutSpec sameRender(Path root, Path overlay) throws Exception {
    String expected = kubectl.render(overlay);
    String actual = BUILT_IN.render(root, overlay);
    String name = root.relativize(overlay).toString();

    assertThat(objects(actual).keySet()).as("the objects of %s, in order", name)
        .containsExactlyElementsOf(objects(expected).keySet());
    assertThat(objects(actual)).as(name).isEqualTo(objects(expected));
    List<RolloutSpec> rollouts = RolloutParser.parse(actual);
    assertThat(rollouts).as(name).isEqualTo(RolloutParser.parse(expected)).hasSize(1);
    return rollouts.get(0);
  }

  /** Each object by kind, namespace and name, in the order rendered. */
  private static Map<String, JsonNode> objects(String yaml) throws IOException {
    Map<String, JsonNode> objects = new LinkedHashMap<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      for (JsonNode object : YAML.readValues(parser, JsonNode.class).readAll()) {
        String key = object.path("kind").asText() + " " + object.at("/metadata/namespace").asText() + "/"
            + object.at("/metadata/name").asText();
        assertThat(objects.put(key, object)).as("%s rendered twice", key).isNull();
      }
    }
    assertThat(objects).isNotEmpty();
    return objects;
  }

  private static Path checkout(String name) throws Exception {
    GitOpsCheckout checkout = new GitOpsCheckout(repo.remote(), folder.resolve("checkout-" + name));
    return checkout.refresh().orElseThrow().root();
  }

  /** A copy of an environment's overlay with components enabled, as a team enables them. */
  private static Path withComponents(Path root, String environment, List<String> components) throws IOException {
    Path overlays = root.resolve(RepoLayout.appFolder(MODEL) + "overlays");
    Path copy = Files.createDirectories(overlays.resolve(environment + "-" + String.join("-", components)));
    try (var files = Files.list(overlays.resolve(environment))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    StringBuilder kustomization = new StringBuilder(Files.readString(copy.resolve("kustomization.yaml")));
    if (!components.isEmpty()) {
      kustomization.append("components:\n");
      components.forEach(c -> kustomization.append("  - ../../components/").append(c).append('\n'));
    }
    Files.writeString(copy.resolve("kustomization.yaml"), kustomization.toString());
    return copy;
  }
}
