package dev.modelship.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgoTemplateRendererTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void rendersAClusterAnalysisTemplateWithArgoFieldsAndTypes() throws Exception {
    String rendered = ArgoTemplateRenderer.render(BuiltInAnalyses.errorRate(),
        ArgoTemplateRenderer.Kind.CLUSTER_ANALYSIS_TEMPLATE, null);
    JsonNode doc = YAML.readTree(rendered);
    assertThat(doc.get("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
    assertThat(doc.get("kind").asText()).isEqualTo("ClusterAnalysisTemplate");
    assertThat(doc.at("/metadata/name").asText()).isEqualTo("modelship-error-rate");
    assertThat(doc.at("/metadata/namespace").isMissingNode()).isTrue();
    JsonNode metric = doc.at("/spec/metrics/0");
    assertThat(metric.get("count").asText()).isEqualTo("{{args.count}}");
    assertThat(metric.get("failureLimit").isInt()).isTrue();
    assertThat(metric.at("/provider/prometheus/timeout").isIntegralNumber()).isTrue();
    assertThat(metric.at("/provider/prometheus/query").asText()).contains("modelship_requests_total")
        .contains("{{args.model}}");
    assertThat(doc.at("/spec/args/0/name").asText()).isEqualTo("model");
    assertThat(doc.at("/spec/args/0/value").isMissingNode()).isTrue();
  }

  @Test
  void theRenderedTemplateMeansTheSameAsTheSpec() throws Exception {
    AnalysisSpec spec = BuiltInAnalyses.latencyP99();
    JsonNode doc = YAML.readTree(ArgoTemplateRenderer.render(spec, ArgoTemplateRenderer.Kind.ANALYSIS_TEMPLATE,
        "models"));
    assertThat(doc.at("/metadata/namespace").asText()).isEqualTo("models");
    AnalysisSpec back = AnalysisSpec.parse(YAML.writeValueAsString(
        YAML.createObjectNode().put("name", doc.at("/metadata/name").asText())
            .setAll((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("spec"))));
    Map<String, String> args = Map.of("model", "clicks", "version", "3");
    assertThat(AnalysisResolver.resolve(back, args).toString()).isEqualTo(AnalysisResolver.resolve(spec, args)
        .toString());
  }

  @Test
  void theComparisonIsLeftOutWithAComment() {
    String rendered = ArgoTemplateRenderer.render(BuiltInAnalyses.canary(),
        ArgoTemplateRenderer.Kind.CLUSTER_ANALYSIS_TEMPLATE, null);
    assertThat(rendered).contains("# Its canary-vs-stable comparison runs in the Modelship controller only")
        .doesNotContain("baselineArgs");
  }

  @Test
  void aTimeoutTakenFromAnArgCannotBeRendered() throws Exception {
    AnalysisSpec spec = AnalysisSpec.parse(BuiltInAnalyses.errorRate().toYaml()
        .replace("timeout: \"10\"", "timeout: \"{{args.timeout}}\""));
    assertThatThrownBy(() -> ArgoTemplateRenderer.render(spec, ArgoTemplateRenderer.Kind.ANALYSIS_TEMPLATE, null))
        .hasMessageContaining("whole number of seconds");
  }

  @Test
  void builtInsResolveWithOnlyModelAndVersion() throws Exception {
    assertThat(AnalysisResolver.resolve(BuiltInAnalyses.errorRate(), Map.of("model", "m", "version", "1")))
        .hasSize(1);
    assertThat(AnalysisResolver.resolve(BuiltInAnalyses.canary(), Map.of("model", "m", "version", "2",
        "stable-version", "1"))).hasSize(3);
  }
}
