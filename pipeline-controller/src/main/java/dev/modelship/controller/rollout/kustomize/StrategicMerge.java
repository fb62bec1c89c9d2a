package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * A strategic-merge patch as Kustomize applies it to a kind it has no schema for (a custom resource such as the
 * Rollout): mappings merge key by key, a null deletes the key, and every other value, lists included, replaces
 * the one in the object. Lists in a patch of a Kubernetes kind merge by key in Kustomize (containers by name,
 * ports by port, ...), which this reader does not do, so such a patch is refused; so is every {@code $} directive
 * but a whole-object {@code $patch: delete}.
 */
final class StrategicMerge {
  private StrategicMerge() {
  }

  /** Whether the patch deletes the objects it applies to. */
  static boolean deletes(ObjectNode patch, String where) throws IOException {
    JsonNode directive = patch.get("$patch");
    if (directive == null) {
      return false;
    }
    if (!directive.asText().equals("delete")) {
      throw new KustomizationRefused(where, "$patch: " + directive.asText() + " (only `$patch: delete` of a whole "
          + "object is read)");
    }
    return true;
  }

  /** Merges {@code patch} (without its identity: apiVersion, kind, name, namespace) into the resource's body. */
  static void apply(Resource resource, ObjectNode patch, String where) throws IOException {
    ObjectNode body = patch.deepCopy();
    body.remove("apiVersion");
    body.remove("kind");
    if (body.get("metadata") instanceof ObjectNode metadata) {
      metadata.remove("name");
      metadata.remove("namespace");
    }
    check(body, resource, where, "");
    merge(resource.body(), body);
  }

  private static void check(JsonNode node, Resource resource, String where, String path) throws IOException {
    if (node.isArray()) {
      if (resource.isKubernetesKind()) {
        throw new KustomizationRefused(where, "a strategic-merge patch of the list " + path + " of "
            + resource.kind() + " " + resource.name() + " (Kustomize merges the lists of Kubernetes kinds by key; "
            + "use a JSON patch with a target)");
      }
      for (JsonNode element : node) {
        check(element, resource, where, path + "[]");
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().startsWith("$")) {
          throw new KustomizationRefused(where, "the directive " + field.getKey() + " at " + path);
        }
        check(field.getValue(), resource, where, path + "." + field.getKey());
      }
    }
  }

  private static void merge(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && target.get(key) instanceof ObjectNode existing) {
        merge(existing, (ObjectNode) value);
      } else if (value.isObject()) {
        ObjectNode created = target.putObject(key);
        merge(created, (ObjectNode) value);
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }
}
