package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository `modelship gitops init` writes, rendered with `kubectl kustomize`: every overlay with every
 * combination of components, Argo CD's folder and the platform folder. Each rendered object must be valid (Argo
 * Rollouts kinds against the official CRDs in rollouts/crds/) and each app must hang together.
 */
class GitOpsTemplateRenderIT {
  private static final String REPO_URL = "https://git.example.com/team/gitops.git";
  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
  private static final String MODEL = RepoLayout.TEMPLATE_MODEL;

  @TempDir
  static Path repo;
  private static Kubectl kubectl;
  private static Map<String, CrdSchema> crds;

  @BeforeAll
  static void writeTheTemplate() throws Exception {
    kubectl = Kubectl.require();
    GitOpsTemplate.bundled().writeTo(repo, REPO_URL, "main");
    crds = new HashMap<>();
    for (String file : List.of("rollout-crd.yaml", "analysis-template-crd.yaml", "cluster-analysis-template-crd.yaml")) {
      CrdSchema schema = CrdSchema.load(ProjectFiles.crd(file));
      crds.put(schema.kind(), schema);
    }
  }

  @Test
  void everyOverlayWithEveryComponentCombinationRendersValidObjects() throws Exception {
    Map<String, JsonNode> templates = analysisTemplates();
    int rendered = 0;
    for (String environment : List.of("staging", "production")) {
      for (ModelAppChecks.Traffic traffic : ModelAppChecks.Traffic.values()) {
        for (boolean gpu : List.of(false, true)) {
          for (boolean keda : List.of(false, true)) {
            String name = environment + "-" + traffic + (gpu ? "-gpu" : "") + (keda ? "-keda" : "");
            RenderedObjects app = RenderedObjects.parse(kubectl.kustomize(combination(name, environment, traffic,
                gpu, keda)));

            assertThat(app.validate(crds)).as(name).isEmpty();
            ModelAppChecks.check(app, new ModelAppChecks.Expected(MODEL, "models-" + environment,
                "127.0.0.1:5000/models/serving:" + MODEL + "-3@" + DIGEST, traffic, gpu, keda, templates));
            int minimum = keda ? app.only("ScaledObject").at("/spec/minReplicaCount").asInt()
                : app.only("HorizontalPodAutoscaler").at("/spec/minReplicas").asInt();
            assertThat(minimum).as("minimum pods of %s", name).isEqualTo(environment.equals("production") ? 3 : 2);
            rendered++;
          }
        }
      }
    }
    assertThat(rendered).isEqualTo(24);
  }

  @Test
  void theOverlaysAsCommittedRenderWithTheUnreleasedImagePlaceholder() throws Exception {
    for (String environment : List.of("staging", "production")) {
      RenderedObjects app = RenderedObjects.parse(kubectl.kustomize(repo.resolve(RepoLayout.APP_TEMPLATE
          + "overlays/" + environment)));

      assertThat(app.validate(crds)).isEmpty();
      assertThat(app.get("Rollout", MODEL).at("/spec/template/spec/containers/0/image").asText())
          .isEqualTo(RepoLayout.IMAGE_NAME);
    }
  }

  @Test
  void argoCdGeneratesOneApplicationPerOverlayFromThisRepository() throws Exception {
    RenderedObjects argocd = RenderedObjects.parse(kubectl.kustomize(repo.resolve("argocd")));

    assertThat(argocd.validate(crds)).isEmpty();
    JsonNode applicationSet = argocd.only("ApplicationSet");
    assertThat(applicationSet.at("/spec/generators/0/git/directories/0/path").asText())
        .isEqualTo("apps/*/overlays/*");
    assertThat(applicationSet.at("/spec/generators/0/git/repoURL").asText()).isEqualTo(REPO_URL);
    assertThat(applicationSet.at("/spec/template/spec/destination/namespace").asText())
        .isEqualTo("models-{{ .path.basename }}");
    assertThat(applicationSet.at("/spec/template/spec/syncPolicy/syncOptions").toString())
        .contains("CreateNamespace=true");
    assertThat(argocd.only("AppProject").at("/spec/sourceRepos/0").asText()).isEqualTo(REPO_URL);
    assertThat(argocd.only("Application").at("/spec/source/path").asText()).isEqualTo("platform");
    assertThat(Files.readString(repo.resolve("templates/model-app/overlays/staging/kustomization.yaml")))
        .contains("namespace: models-staging");
  }

  @Test
  void thePlatformInstallsBothClusterAnalysisTemplatesUnchanged() throws Exception {
    RenderedObjects platform = RenderedObjects.parse(kubectl.kustomize(repo.resolve("platform")));

    assertThat(platform.validate(crds)).isEmpty();
    assertThat(platform.ofKind("ClusterAnalysisTemplate")).extracting(t -> t.at("/metadata/name").asText())
        .containsExactlyInAnyOrder("modelship-error-rate", "modelship-latency-p99");
    assertThat(platform.only("Namespace").at("/metadata/name").asText()).isEqualTo("modelship");
  }

  /** A copy of an overlay with components enabled and an image pinned, as a team does in its overlay. */
  private static Path combination(String name, String environment, ModelAppChecks.Traffic traffic, boolean gpu,
                                  boolean keda) throws Exception {
    Path overlays = repo.resolve(RepoLayout.APP_TEMPLATE + "overlays");
    Path folder = Files.createDirectories(overlays.resolve("combination-" + name));
    try (var files = Files.list(overlays.resolve(environment))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    List<String> components = new ArrayList<>();
    if (traffic != ModelAppChecks.Traffic.NONE) {
      components.add("traffic-" + traffic.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (gpu) {
      components.add("gpu");
    }
    if (keda) {
      components.add("keda");
    }
    StringBuilder kustomization = new StringBuilder(Files.readString(folder.resolve("kustomization.yaml")));
    if (!components.isEmpty()) {
      kustomization.append("components:\n");
      components.forEach(c -> kustomization.append("  - ../../components/").append(c).append('\n'));
    }
    String withImage = KustomizationImages.set(kustomization.toString(), KustomizationImages.Entry.pinning(
        PinnedImage.parse("127.0.0.1:5000/models/serving:" + MODEL + "-3@" + DIGEST)));
    Files.writeString(folder.resolve("kustomization.yaml"), withImage);
    return folder;
  }

  private static Map<String, JsonNode> analysisTemplates() throws Exception {
    Map<String, JsonNode> templates = new HashMap<>();
    RenderedObjects rendered = RenderedObjects.parse(kubectl.kustomize(repo.resolve("rollouts/analysis")));
    rendered.ofKind("ClusterAnalysisTemplate").forEach(t -> templates.put(t.at("/metadata/name").asText(), t));
    return templates;
  }
}
