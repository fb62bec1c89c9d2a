package dev.modelship.controller.cli;

import java.util.List;

/** Copy-pasteable {@code curl} commands for a model served by the serving runtime, one per endpoint worth trying. */
final class CurlCommands {
  private CurlCommands() {
  }

  /**
   * @param baseUrl such as {@code http://127.0.0.1:8080}
   * @param v2Body a V2 infer request body, which must not contain a single quote (it is shell-quoted with them)
   * @param v1Body a V1 predict request body, the same rule
   */
  static List<String> forModel(String baseUrl, String model, String v2Body, String v1Body) {
    if (v2Body.contains("'") || v1Body.contains("'")) {
      throw new IllegalArgumentException("request bodies are single-quoted for the shell and cannot contain '");
    }
    String json = " -H 'Content-Type: application/json'";
    return List.of(
        "# readiness (200 once every model is loaded and warmed up)",
        "curl -s " + baseUrl + "/v2/health/ready",
        "# model metadata: inputs, outputs, versions",
        "curl -s " + baseUrl + "/v2/models/" + model,
        "# V2 (Open Inference Protocol) inference",
        "curl -s -X POST " + baseUrl + "/v2/models/" + model + "/infer" + json + " -d '" + v2Body + "'",
        "# V1 predict",
        "curl -s -X POST " + baseUrl + "/v1/models/" + model + ":predict" + json + " -d '" + v1Body + "'",
        "# Prometheus metrics",
        "curl -s " + baseUrl + "/metrics");
  }
}
