package dev.modelship.controller.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Basic checks of the objects the template renders that have no CRD here: the right apiVersion for the kind, the
 * fields the API server requires, and the enumerations it checks. Not the full Kubernetes schema.
 */
final class CoreObjects {
  private static final Map<String, String> API_VERSIONS = Map.ofEntries(
      Map.entry("Namespace", "v1"),
      Map.entry("ServiceAccount", "v1"),
      Map.entry("Service", "v1"),
      Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"),
      Map.entry("PodDisruptionBudget", "policy/v1"),
      Map.entry("NetworkPolicy", "networking.k8s.io/v1"),
      Map.entry("Ingress", "networking.k8s.io/v1"),
      Map.entry("PodMonitor", "monitoring.coreos.com/v1"),
      Map.entry("VirtualService", "networking.istio.io/v1"),
      Map.entry("ScaledObject", "keda.sh/v1alpha1"),
      Map.entry("AppProject", "argoproj.io/v1alpha1"),
      Map.entry("ApplicationSet", "argoproj.io/v1alpha1"),
      Map.entry("Application", "argoproj.io/v1alpha1"));
  private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
      Map.entry("Service", List.of("/spec/ports/0/port", "/spec/selector")),
      Map.entry("HorizontalPodAutoscaler", List.of("/spec/scaleTargetRef/kind", "/spec/scaleTargetRef/name",
          "/spec/scaleTargetRef/apiVersion", "/spec/maxReplicas")),
      Map.entry("PodDisruptionBudget", List.of("/spec/selector/matchLabels")),
      Map.entry("NetworkPolicy", List.of("/spec/podSelector", "/spec/policyTypes/0")),
      Map.entry("Ingress", List.of("/spec/rules/0/http/paths/0/backend/service/name",
          "/spec/rules/0/http/paths/0/pathType")),
      Map.entry("PodMonitor", List.of("/spec/selector/matchLabels", "/spec/podMetricsEndpoints/0/port")),
      Map.entry("VirtualService", List.of("/spec/hosts/0", "/spec/http/0/route/0/destination/host")),
      Map.entry("ScaledObject", List.of("/spec/scaleTargetRef/name", "/spec/triggers/0/type")),
      Map.entry("AppProject", List.of("/spec/sourceRepos/0", "/spec/destinations/0/namespace")),
      Map.entry("ApplicationSet", List.of("/spec/generators/0", "/spec/template/spec/source/repoURL",
          "/spec/template/spec/destination/namespace", "/spec/template/spec/project")),
      Map.entry("Application", List.of("/spec/source/repoURL", "/spec/source/path", "/spec/destination/namespace",
          "/spec/project")));
  private static final Set<String> PATH_TYPES = Set.of("Exact", "Prefix", "ImplementationSpecific");
  private static final Set<String> POLICY_TYPES = Set.of("Ingress", "Egress");

  private CoreObjects() {
  }

  static boolean knows(String kind) {
    return API_VERSIONS.containsKey(kind);
  }

  static List<String> validate(JsonNode object) {
    List<String> errors = new ArrayList<>();
    String kind = object.path("kind").asText();
    String where = kind + "/" + object.path("metadata").path("name").asText("?") + ": ";
    if (!API_VERSIONS.get(kind).equals(object.path("apiVersion").asText())) {
      errors.add(where + "apiVersion " + object.path("apiVersion") + ", expected " + API_VERSIONS.get(kind));
    }
    if (!object.path("metadata").path("name").isTextual()) {
      errors.add(where + "metadata.name is required");
    }
    for (String pointer : REQUIRED.getOrDefault(kind, List.of())) {
      if (object.at(pointer).isMissingNode() || object.at(pointer).isNull()) {
        errors.add(where + pointer + " is required");
      }
    }
    for (JsonNode port : object.at("/spec/ports")) {
      if (!port.path("port").isInt()) {
        errors.add(where + "service port must be an integer: " + port);
      }
    }
    for (JsonNode rule : object.at("/spec/rules")) {
      for (JsonNode path : rule.at("/http/paths")) {
        if (!PATH_TYPES.contains(path.path("pathType").asText())) {
          errors.add(where + "pathType " + path.path("pathType"));
        }
      }
    }
    if (kind.equals("NetworkPolicy")) {
      object.at("/spec/policyTypes").forEach(type -> {
        if (!POLICY_TYPES.contains(type.asText())) {
          errors.add(where + "policyType " + type);
        }
      });
    }
    if (kind.equals("PodDisruptionBudget")
        && object.at("/spec/minAvailable").isMissingNode() == object.at("/spec/maxUnavailable").isMissingNode()) {
      errors.add(where + "exactly one of minAvailable and maxUnavailable");
    }
    if (kind.equals("HorizontalPodAutoscaler") && object.at("/spec/minReplicas").asInt(1)
        > object.at("/spec/maxReplicas").asInt()) {
      errors.add(where + "minReplicas above maxReplicas");
    }
    return errors;
  }
}
