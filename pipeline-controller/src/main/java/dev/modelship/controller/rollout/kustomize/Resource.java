package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One object being built, with every namespace it has had: Kustomize matches a patch written against the base
 * (no namespace) to the object the overlay has since moved into its namespace.
 */
final class Resource {
  private final ObjectNode body;
  private final String origin;
  private final Set<String> namespaces = new LinkedHashSet<>();

  Resource(ObjectNode body, String origin) {
    this.body = body;
    this.origin = origin;
    namespaces.add(namespace());
  }

  ObjectNode body() {
    return body;
  }

  /** The file the object was read from, relative to the checkout, for messages. */
  String origin() {
    return origin;
  }

  String apiVersion() {
    return body.path("apiVersion").asText();
  }

  String group() {
    String apiVersion = apiVersion();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  String version() {
    String apiVersion = apiVersion();
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }

  String kind() {
    return body.path("kind").asText();
  }

  String name() {
    return body.path("metadata").path("name").asText();
  }

  /** The namespace, "" for none ("default" counts as none, as in Kustomize). */
  String namespace() {
    String namespace = body.path("metadata").path("namespace").asText("");
    return namespace.equals("default") ? "" : namespace;
  }

  void setNamespace(String namespace) {
    ((ObjectNode) body.get("metadata")).put("namespace", namespace);
    namespaces.add(namespace());
  }

  /** Whether the object is or was in {@code namespace}. */
  boolean wasIn(String namespace) {
    return namespaces.contains(namespace.equals("default") ? "" : namespace);
  }

  /** Group, version and kind as Kustomize orders objects by: {@code group_version_kind}. */
  String gvk() {
    return group() + "_" + version() + "_" + kind();
  }

  /** kind/namespace/name, for messages and the duplicate check. */
  String id() {
    return apiVersion() + " " + kind() + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name();
  }

  /**
   * Whether Kustomize knows the kind's schema (the Kubernetes API groups): there a strategic merge merges lists by
   * key, which this reader does not do. Custom resources (Argo Rollouts, KEDA, ...) merge lists by replacing them.
   */
  boolean isKubernetesKind() {
    String group = group();
    return group.isEmpty() || !group.contains(".") || group.endsWith(".k8s.io");
  }
}
