package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a rendered model app must be beyond schema validity: its references resolve, its selectors select its pods,
 * the canary analysis gets every arg it needs, and the serving container runs as the runtime needs it.
 */
final class ModelAppChecks {
  enum Traffic { NONE, NGINX, ISTIO }

  /** @param analysisTemplates the ClusterAnalysisTemplates the platform installs, by name */
  record Expected(String model, String namespace, String image, Traffic traffic, boolean gpu, boolean keda,
                  Map<String, JsonNode> analysisTemplates) {
  }

  private ModelAppChecks() {
  }

  static void check(RenderedObjects app, Expected expected) {
    assertThat(app.ofKind("Deployment")).isEmpty();
    JsonNode rollout = app.get("Rollout", expected.model());
    app.all().forEach(object -> assertThat(object.at("/metadata/namespace").asText())
        .as("namespace of %s/%s", object.path("kind").asText(), object.at("/metadata/name").asText())
        .isEqualTo(expected.namespace()));
    Map<String, String> podLabels = labels(rollout.at("/spec/template/metadata/labels"));
    assertSelects(rollout.at("/spec/selector/matchLabels"), podLabels, "Rollout selector");
    checkCanary(app, rollout, podLabels, expected);
    checkAnalysis(rollout, expected);
    checkPod(app, rollout, expected);
    checkScaling(app, expected);
    assertSelects(app.only("PodDisruptionBudget").at("/spec/selector/matchLabels"), podLabels, "PDB");
    JsonNode monitor = app.only("PodMonitor");
    assertSelects(monitor.at("/spec/selector/matchLabels"), podLabels, "PodMonitor");
    assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asText()).isEqualTo("/metrics");
    checkNetworkPolicy(app, podLabels, expected);
  }

  private static void checkCanary(RenderedObjects app, JsonNode rollout, Map<String, String> podLabels,
                                  Expected expected) {
    JsonNode canary = rollout.at("/spec/strategy/canary");
    for (String service : List.of("stableService", "canaryService")) {
      assertSelects(app.get("Service", canary.path(service).asText()).at("/spec/selector"), podLabels, service);
    }
    assertThat(canary.path("abortScaleDownDelaySeconds").isInt()).isTrue();
    List<Integer> weights = new ArrayList<>();
    int analysisSteps = 0;
    for (JsonNode step : canary.path("steps")) {
      if (step.has("setWeight")) {
        weights.add(step.path("setWeight").asInt());
      }
      analysisSteps += step.has("analysis") ? 1 : 0;
    }
    assertThat(weights).containsExactly(10, 25, 50, 100);
    assertThat(analysisSteps).isEqualTo(1);
    assertThat(canary.at("/analysis/templates")).isNotEmpty();
    JsonNode routing = canary.path("trafficRouting");
    switch (expected.traffic()) {
      case NONE:
        assertThat(routing.isMissingNode()).as("replica-based canary without trafficRouting").isTrue();
        break;
      case NGINX:
        JsonNode ingress = app.get("Ingress", routing.at("/nginx/stableIngress").asText());
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
            .isEqualTo(canary.path("stableService").asText());
        break;
      default:
        JsonNode virtualService = app.get("VirtualService", routing.at("/istio/virtualService/name").asText());
        Set<String> routes = new HashSet<>();
        Set<String> hosts = new HashSet<>();
        for (JsonNode route : virtualService.at("/spec/http")) {
          routes.add(route.path("name").asText());
          route.path("route").forEach(destination -> hosts.add(destination.at("/destination/host").asText()));
        }
        routing.at("/istio/virtualService/routes").forEach(route -> assertThat(routes).contains(route.asText()));
        assertThat(hosts).containsExactlyInAnyOrder(canary.path("stableService").asText(),
            canary.path("canaryService").asText());
    }
  }

  /** Every template exists, is cluster-scoped as referenced, and gets a value for each arg it declares without one. */
  private static void checkAnalysis(JsonNode rollout, Expected expected) {
    List<JsonNode> analyses = new ArrayList<>();
    analyses.add(rollout.at("/spec/strategy/canary/analysis"));
    rollout.at("/spec/strategy/canary/steps").forEach(step -> {
      if (step.has("analysis")) {
        analyses.add(step.path("analysis"));
      }
    });
    Map<String, String> rolloutLabels = labels(rollout.at("/metadata/labels"));
    assertThat(rolloutLabels).containsEntry("modelship.dev/model", expected.model())
        .containsKey("modelship.dev/version");
    for (JsonNode analysis : analyses) {
      Map<String, JsonNode> given = new HashMap<>();
      analysis.path("args").forEach(arg -> given.put(arg.path("name").asText(), arg));
      for (JsonNode reference : analysis.path("templates")) {
        assertThat(reference.path("clusterScope").asBoolean()).isTrue();
        JsonNode template = expected.analysisTemplates().get(reference.path("templateName").asText());
        assertThat(template).as("ClusterAnalysisTemplate %s", reference.path("templateName")).isNotNull();
        for (JsonNode arg : template.at("/spec/args")) {
          if (!arg.has("value")) {
            assertThat(given).as("arg %s of %s", arg.path("name"), reference.path("templateName"))
                .containsKey(arg.path("name").asText());
          }
        }
      }
      given.values().forEach(arg -> {
        String fieldPath = arg.at("/valueFrom/fieldRef/fieldPath").asText("");
        if (fieldPath.startsWith("metadata.labels['")) {
          assertThat(rolloutLabels).containsKey(fieldPath.substring(17, fieldPath.length() - 2));
        }
      });
    }
  }

  private static void checkPod(RenderedObjects app, JsonNode rollout, Expected expected) {
    JsonNode pod = rollout.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    assertThat(container.path("image").asText()).isEqualTo(expected.image());
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/v2/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/v2/health/ready");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/v2/health/live");
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(variable -> env.put(variable.path("name").asText(),
        variable.path("value").asText()));
    String drain = env.get("MODELSHIP_DRAIN_TIMEOUT");
    assertThat(drain).as("the drain timeout is set explicitly").matches("[0-9]+s");
    int drainSeconds = Integer.parseInt(drain.substring(0, drain.length() - 1));
    int preStopSeconds = container.at("/lifecycle/preStop/sleep/seconds").asInt();
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(drainSeconds + preStopSeconds);
    assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
    assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
    JsonNode account = app.get("ServiceAccount", pod.path("serviceAccountName").asText());
    assertThat(account.at("/imagePullSecrets/0/name").isTextual()).isTrue();
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    if (expected.gpu()) {
      assertThat(container.at("/resources/limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
      assertThat(pod.at("/tolerations/0/key").asText()).isEqualTo("nvidia.com/gpu");
      assertThat(pod.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution").isObject()).isTrue();
      assertThat(env).containsEntry("MODELSHIP_DEVICE", "cuda");
    } else {
      assertThat(container.at("/resources/limits").has("nvidia.com/gpu")).isFalse();
    }
  }

  private static void checkScaling(RenderedObjects app, Expected expected) {
    JsonNode target;
    if (expected.keda()) {
      assertThat(app.ofKind("HorizontalPodAutoscaler")).as("KEDA replaces the CPU autoscaler").isEmpty();
      JsonNode scaledObject = app.only("ScaledObject");
      target = scaledObject.at("/spec/scaleTargetRef");
      List<String> queries = new ArrayList<>();
      scaledObject.at("/spec/triggers").forEach(t -> queries.add(t.at("/metadata/query").asText("")));
      assertThat(String.join("\n", queries)).contains("modelship_inflight_requests{model=\"" + expected.model())
          .contains("modelship_requests_total{model=\"" + expected.model());
    } else {
      assertThat(app.ofKind("ScaledObject")).isEmpty();
      target = app.only("HorizontalPodAutoscaler").at("/spec/scaleTargetRef");
    }
    assertThat(target.path("kind").asText()).isEqualTo("Rollout");
    assertThat(target.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
    app.get("Rollout", target.path("name").asText());
  }

  private static void checkNetworkPolicy(RenderedObjects app, Map<String, String> podLabels, Expected expected) {
    JsonNode policy = app.only("NetworkPolicy");
    assertSelects(policy.at("/spec/podSelector/matchLabels"), podLabels, "NetworkPolicy");
    assertThat(policy.at("/spec/policyTypes").toString()).contains("Ingress");
    List<String> sources = new ArrayList<>();
    policy.at("/spec/ingress").forEach(rule -> rule.path("from").forEach(from -> sources.add(from.toString())));
    assertThat(sources).anyMatch(source -> source.contains("monitoring") && source.contains("prometheus"));
    String traffic = switch (expected.traffic()) {
      case NGINX -> "ingress-nginx";
      case ISTIO -> "istio-system";
      case NONE -> "modelship.dev/traffic-layer";
    };
    assertThat(sources).anyMatch(source -> source.contains(traffic));
    assertThat(sources).as("no rule lets everyone in").noneMatch(source -> source.equals("{}"));
  }

  private static void assertSelects(JsonNode selector, Map<String, String> podLabels, String what) {
    Map<String, String> wanted = labels(selector);
    assertThat(wanted).as("%s selects something", what).isNotEmpty();
    assertThat(podLabels).as("%s selects the app's pods", what).containsAllEntriesOf(wanted);
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new HashMap<>();
    node.fields().forEachRemaining(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
    return labels;
  }
}
