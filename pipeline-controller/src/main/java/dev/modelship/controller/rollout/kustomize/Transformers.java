package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code namespace}, {@code labels} and {@code images} of a kustomization, applied as Kustomize does after the
 * patches and in that order.
 */
final class Transformers {
  /** Kubernetes kinds without a namespace, which the namespace leaves alone. */
  private static final Set<String> CLUSTER_SCOPED = Set.of("Node", "PersistentVolume", "ComponentStatus",
      "ClusterRole", "CustomResourceDefinition", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
      "PriorityClass", "RuntimeClass", "CertificateSigningRequest", "PodSecurityPolicy", "IngressClass",
      "FlowSchema", "PriorityLevelConfiguration");
  /** Kubernetes kinds in a namespace. */
  private static final Set<String> NAMESPACED = Set.of("Pod", "Service", "ConfigMap", "Secret", "ServiceAccount",
      "PersistentVolumeClaim", "Endpoints", "LimitRange", "ResourceQuota", "ReplicationController", "PodTemplate",
      "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision", "Job", "CronJob",
      "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Ingress", "Role", "Lease",
      "EndpointSlice");
  /** Kinds whose other fields the namespace also rewrites in Kustomize (subjects, webhook services). */
  private static final Set<String> NAMESPACE_REFERENCES = Set.of("Namespace", "RoleBinding", "ClusterRoleBinding",
      "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService");

  private Transformers() {
  }

  static void namespace(String namespace, List<Resource> resources, String file) throws IOException {
    for (Resource resource : resources) {
      String kind = resource.kind();
      if (resource.isKubernetesKind()) {
        if (NAMESPACE_REFERENCES.contains(kind)) {
          throw new KustomizationRefused(file, "namespace with a " + kind + " among the objects (Kustomize also "
              + "rewrites its references)");
        }
        if (CLUSTER_SCOPED.contains(kind)) {
          continue;
        }
        if (!NAMESPACED.contains(kind)) {
          throw new KustomizationRefused(file, "namespace with a " + resource.apiVersion() + " " + kind + " (the "
              + "reader does not know whether that kind has a namespace)");
        }
      }
      resource.setNamespace(namespace);
    }
  }

  static void labels(Map<String, String> labels, List<Resource> resources) {
    if (labels.isEmpty()) {
      return;
    }
    for (Resource resource : resources) {
      ObjectNode metadata = (ObjectNode) resource.body().get("metadata");
      ObjectNode existing = metadata.get("labels") instanceof ObjectNode object ? object : metadata.putObject("labels");
      labels.forEach(existing::put);
    }
  }

  /** Every {@code containers} and {@code initContainers} list anywhere in an object, as Kustomize's image filter. */
  static void images(List<Kustomization.Image> images, List<Resource> resources) {
    if (images.isEmpty()) {
      return;
    }
    for (Resource resource : resources) {
      walk(resource.body(), images);
    }
  }

  private static void walk(JsonNode node, List<Kustomization.Image> images) {
    if (node instanceof ObjectNode object) {
      object.properties().forEach(field -> {
        if ((field.getKey().equals("containers") || field.getKey().equals("initContainers"))
            && field.getValue() instanceof ArrayNode containers) {
          for (JsonNode container : containers) {
            if (container instanceof ObjectNode c && c.get("image") != null && c.get("image").isTextual()) {
              c.put("image", image(c.get("image").asText(), images));
            }
          }
        }
        walk(field.getValue(), images);
      });
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> walk(element, images));
    }
  }

  /**
   * The image with each entry naming it applied in turn (one entry may rename an image another entry then names):
   * a new name, and a new tag and/or digest, which replace both the old tag and digest.
   */
  static String image(String image, List<Kustomization.Image> images) {
    String result = image;
    for (Kustomization.Image entry : images) {
      result = image(result, entry);
    }
    return result;
  }

  private static String image(String image, Kustomization.Image entry) {
    String[] parts = split(image);
    if (!parts[0].equals(entry.name())) {
      return image;
    }
    String name = entry.newName() != null && !entry.newName().isEmpty() ? entry.newName() : parts[0];
    String tag = parts[1];
    String digest = parts[2];
    boolean newTag = entry.newTag() != null && !entry.newTag().isEmpty();
    boolean newDigest = entry.digest() != null && !entry.digest().isEmpty();
    if (newTag || newDigest) {
      tag = newTag ? entry.newTag() : "";
      digest = newDigest ? entry.digest() : "";
    }
    return name + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
  }

  /** Name, tag and digest ("" when absent); a colon before the first slash is a registry port. */
  static String[] split(String image) {
    int slash = Math.max(image.indexOf('/'), 0);
    String search = image.substring(slash);
    int at = search.indexOf('@');
    int colon = search.indexOf(':');
    if (at < 0 && colon < 0) {
      return new String[] {image, "", ""};
    }
    if (at >= 0 && (colon < 0 || at < colon)) {
      return new String[] {image.substring(0, slash + at), "", image.substring(slash + at + 1)};
    }
    if (at >= 0) {
      return new String[] {image.substring(0, slash + colon), image.substring(slash + colon + 1, slash + at),
          image.substring(slash + at + 1)};
    }
    return new String[] {image.substring(0, slash + colon), image.substring(slash + colon + 1), ""};
  }
}
