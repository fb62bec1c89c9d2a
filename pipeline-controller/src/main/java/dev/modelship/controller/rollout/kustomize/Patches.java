package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A kustomization's {@code patches}, in order. A list-shaped patch is a JSON patch and needs a target; any other is
 * a strategic merge, applied to every object the target selects (none: nothing happens) or, without a target, to
 * the one object its apiVersion, kind, name and namespace name (none or several: an error, as in Kustomize).
 */
final class Patches {
  private Patches() {
  }

  static void apply(Kustomization kustomization, Path folder, CheckoutFiles files, List<Resource> resources)
      throws IOException {
    int index = 0;
    for (Kustomization.Patch entry : kustomization.patches()) {
      String where = kustomization.file() + " patches[" + index++ + "]";
      String text;
      if (entry.path().isPresent()) {
        Path file = files.resolve(folder, entry.path().get(), where + " path");
        if (Files.isDirectory(file)) {
          throw new IOException(where + ": " + entry.path().get() + " is a folder, not a patch file");
        }
        where = files.show(file);
        text = Files.readString(file);
      } else {
        text = entry.text().orElseThrow();
      }
      List<JsonNode> documents = CheckoutFiles.documents(text, where);
      if (documents.size() != 1) {
        throw new KustomizationRefused(where, "a patch of " + documents.size() + " YAML documents (write one patch "
            + "per entry)");
      }
      JsonNode patch = documents.get(0);
      if (patch.isArray()) {
        jsonPatch(entry, patch, where, resources);
      } else if (patch.isObject()) {
        strategicMerge(entry, (ObjectNode) patch, where, resources);
      } else {
        throw new IOException(where + " is neither a JSON patch (a list) nor a strategic-merge patch (a mapping)");
      }
    }
  }

  private static void jsonPatch(Kustomization.Patch entry, JsonNode operations, String where,
                                List<Resource> resources) throws IOException {
    Kustomization.Target target = entry.target().orElseThrow(() -> new IOException(where + ": a JSON patch needs a "
        + "target (which objects it applies to)"));
    JsonPatch.validate(operations, where);
    for (Resource resource : resources) {
      if (target.matches(resource)) {
        JsonPatch.apply(resource, operations, where);
      }
    }
  }

  private static void strategicMerge(Kustomization.Patch entry, ObjectNode patch, String where,
                                     List<Resource> resources) throws IOException {
    boolean deletes = StrategicMerge.deletes(patch, where);
    patch.remove("$patch");
    List<Resource> selected;
    if (entry.target().isPresent()) {
      selected = resources.stream().filter(entry.target().get()::matches).toList();
    } else {
      selected = named(patch, where, resources);
    }
    if (deletes) {
      resources.removeAll(selected);
      return;
    }
    for (Resource resource : selected) {
      StrategicMerge.apply(resource, patch, where);
    }
  }

  private static List<Resource> named(ObjectNode patch, String where, List<Resource> resources) throws IOException {
    String apiVersion = patch.path("apiVersion").asText();
    String kind = patch.path("kind").asText();
    String name = patch.path("metadata").path("name").asText();
    String namespace = patch.path("metadata").path("namespace").asText("");
    List<Resource> matching = resources.stream().filter(r -> r.apiVersion().equals(apiVersion)
        && r.kind().equals(kind) && r.name().equals(name) && r.wasIn(namespace)).toList();
    if (matching.size() != 1) {
      throw new IOException(where + ": the strategic-merge patch of " + apiVersion + " " + kind + " "
          + (namespace.isEmpty() ? "" : namespace + "/") + name + " matches " + matching.size() + " objects, not "
          + "one (give it a target to patch several, or none)");
    }
    return matching;
  }
}
