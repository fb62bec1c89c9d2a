package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelship.controller.analysis.AnalysisSpec;
import dev.modelship.controller.analysis.ArgoTemplateRenderer;
import dev.modelship.controller.analysis.BuiltInAnalyses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ClusterAnalysisTemplates in rollouts/analysis/ are the controller's own built-in analyses, rendered: they must
 * never drift. To regenerate: {@code for t in modelship-error-rate modelship-latency-p99; do ./modelship analysis
 * render $t > rollouts/analysis/$t.yaml; done}.
 */
class AnalysisTemplatesInSyncTest {
  private static final Map<String, AnalysisSpec> BUILT_IN = Map.of(
      BuiltInAnalyses.ERROR_RATE, BuiltInAnalyses.errorRate(),
      BuiltInAnalyses.LATENCY_P99, BuiltInAnalyses.latencyP99());

  @Test
  void committedTemplatesAreExactlyTheRendering() throws Exception {
    for (Map.Entry<String, AnalysisSpec> analysis : BUILT_IN.entrySet()) {
      Path file = ProjectFiles.root().resolve("rollouts/analysis/" + analysis.getKey() + ".yaml");

      assertThat(Files.readString(file))
          .as("%s differs from `./modelship analysis render %s`; regenerate it", file, analysis.getKey())
          .isEqualTo(ArgoTemplateRenderer.render(analysis.getValue(),
              ArgoTemplateRenderer.Kind.CLUSTER_ANALYSIS_TEMPLATE, null));
    }
  }

  @Test
  void renderedTemplatesAreValidClusterAnalysisTemplates() throws Exception {
    CrdSchema schema = CrdSchema.load(ProjectFiles.crd("cluster-analysis-template-crd.yaml"));
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (AnalysisSpec spec : BUILT_IN.values()) {
      String rendered = ArgoTemplateRenderer.render(spec, ArgoTemplateRenderer.Kind.CLUSTER_ANALYSIS_TEMPLATE, null);

      assertThat(schema.validate(yaml.readTree(rendered))).as(spec.name()).isEmpty();
    }
  }
}
