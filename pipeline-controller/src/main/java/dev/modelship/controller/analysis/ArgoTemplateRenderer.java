package dev.modelship.controller.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * An analysis spec as the Argo Rollouts resource with the same meaning ({@code AnalysisTemplate} or
 * {@code ClusterAnalysisTemplate}, argoproj.io/v1alpha1), so the cluster and the controller judge alike. The
 * comparison block has no Argo equivalent and is left out, with a comment saying so.
 */
public final class ArgoTemplateRenderer {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // Argo's arg values are strings: "0.01" unquoted would be a YAML number, which the API server rejects.
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  public enum Kind {
    ANALYSIS_TEMPLATE("AnalysisTemplate"), CLUSTER_ANALYSIS_TEMPLATE("ClusterAnalysisTemplate");

    private final String kind;

    Kind(String kind) {
      this.kind = kind;
    }
  }

  private ArgoTemplateRenderer() {
  }

  /** @param namespace for an AnalysisTemplate; ignored for the cluster-scoped kind (may be null) */
  public static String render(AnalysisSpec spec, Kind kind, String namespace) {
    ObjectNode root = YAML.createObjectNode();
    root.put("apiVersion", "argoproj.io/v1alpha1");
    root.put("kind", kind.kind);
    ObjectNode metadata = root.putObject("metadata");
    metadata.put("name", spec.name());
    if (kind == Kind.ANALYSIS_TEMPLATE && namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.putObject("labels").put("app.kubernetes.io/managed-by", "modelship");
    ObjectNode body = root.putObject("spec");
    ArrayNode args = body.putArray("args");
    for (AnalysisSpec.Arg arg : spec.args()) {
      ObjectNode node = args.addObject().put("name", arg.name());
      if (arg.value() != null) {
        node.put("value", arg.value());
      }
    }
    ArrayNode metrics = body.putArray("metrics");
    for (AnalysisSpec.Metric metric : spec.metrics()) {
      metrics.add(metric(metric));
    }
    String header = "# Rendered by `modelship analysis render` from the analysis spec '" + spec.name() + "'.\n"
        + (spec.comparison() == null ? "" : "# Its canary-vs-stable comparison runs in the Modelship controller only; "
        + "Argo Rollouts has no equivalent.\n");
    try {
      return header + YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + spec.name(), e);
    }
  }

  private static ObjectNode metric(AnalysisSpec.Metric metric) {
    ObjectNode node = YAML.createObjectNode();
    node.put("name", metric.name());
    putIfSet(node, "interval", metric.interval());
    putIntOrString(node, "count", metric.count());
    putIfSet(node, "initialDelay", metric.initialDelay());
    putIntOrString(node, "failureLimit", metric.failureLimit());
    putIntOrString(node, "inconclusiveLimit", metric.inconclusiveLimit());
    putIntOrString(node, "consecutiveErrorLimit", metric.consecutiveErrorLimit());
    putIfSet(node, "successCondition", metric.successCondition());
    putIfSet(node, "failureCondition", metric.failureCondition());
    AnalysisSpec.Prometheus prometheus = metric.provider().prometheus();
    ObjectNode provider = node.putObject("provider").putObject("prometheus");
    provider.put("address", prometheus.address());
    if (prometheus.timeout() != null) {
      try {
        provider.put("timeout", Long.parseLong(prometheus.timeout().trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("metric '" + metric.name() + "': Argo's prometheus timeout is a whole "
            + "number of seconds and cannot take an arg, got '" + prometheus.timeout() + "'");
      }
    }
    if (!prometheus.headers().isEmpty()) {
      ArrayNode headers = provider.putArray("headers");
      prometheus.headers().forEach(h -> headers.addObject().put("key", h.key()).put("value", h.value()));
    }
    provider.put("query", prometheus.query());
    return node;
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /** Argo's IntOrString fields: a number when the text is one, else the text (e.g. "{{args.count}}"). */
  private static void putIntOrString(ObjectNode node, String field, String value) {
    if (value == null) {
      return;
    }
    try {
      node.put(field, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      node.put(field, value);
    }
  }
}
