package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One kustomization file as the built-in reader understands it. Every field is checked here: a field or option
 * outside the supported subset is refused naming it and the file, so nothing is rendered half-understood.
 */
record Kustomization(String file, boolean component, List<String> resources, List<String> components,
                     Optional<String> namespace, Map<String, String> labels, List<Patch> patches,
                     List<Image> images) {
  private static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "components", "namespace",
      "labels", "patches", "images");

  /** A {@code patches} entry: a file or inline text, and the objects it applies to (empty: the one it names). */
  record Patch(Optional<String> path, Optional<String> text, Optional<Target> target) {
  }

  /** A patch target; each part is a regular expression matching the whole value, an empty part matches all. */
  record Target(String group, String version, String kind, String name) {
    boolean matches(Resource resource) {
      return full(group, resource.group()) && full(version, resource.version()) && full(kind, resource.kind())
          && full(name, resource.name());
    }

    private static boolean full(String pattern, String value) {
      return pattern.isEmpty() || value.matches(pattern);
    }
  }

  /** An {@code images} entry; absent parts are null. */
  record Image(String name, String newName, String newTag, String digest) {
  }

  /** The kustomization of {@code folder} ({@code show} is its path for messages). */
  static Kustomization read(Path folder, String show, CheckoutFiles files) throws IOException {
    List<Path> found = new ArrayList<>();
    for (String name : FILE_NAMES) {
      if (Files.isRegularFile(folder.resolve(name))) {
        found.add(folder.resolve(name));
      }
    }
    if (found.isEmpty()) {
      throw new IOException(show + " has no kustomization.yaml");
    }
    if (found.size() > 1) {
      throw new IOException(show + " has more than one kustomization file: " + found.stream()
          .map(p -> p.getFileName().toString()).toList());
    }
    String file = files.show(found.get(0));
    List<JsonNode> documents = files.documents(found.get(0));
    if (documents.size() != 1 || !documents.get(0).isObject()) {
      throw new IOException(file + " must hold one YAML mapping, not " + documents.size() + " document(s)");
    }
    return parse(file, documents.get(0));
  }

  static Kustomization parse(String file, JsonNode node) throws IOException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw new KustomizationRefused(file, "the field `" + field + "`");
      }
    }
    String kind = text(file, node, "kind").orElse("Kustomization");
    boolean component;
    if (kind.equals("Kustomization")) {
      component = false;
    } else if (kind.equals("Component")) {
      component = true;
    } else {
      throw new IOException(file + ": kind " + kind + " is neither Kustomization nor Component");
    }
    Optional<String> apiVersion = text(file, node, "apiVersion");
    String expected = component ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
    if (apiVersion.isPresent() && !apiVersion.get().equals(expected)) {
      throw new KustomizationRefused(file, "apiVersion " + apiVersion.get() + " (a " + kind + " is " + expected + ")");
    }
    return new Kustomization(file, component, strings(file, node, "resources"), strings(file, node, "components"),
        text(file, node, "namespace"), labels(file, node.path("labels")), patches(file, node.path("patches")),
        images(file, node.path("images")));
  }

  private static Map<String, String> labels(String file, JsonNode labels) throws IOException {
    Map<String, String> pairs = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode entry : list(file, labels, "labels")) {
      String where = "labels[" + index++ + "]";
      only(file, entry, where, Set.of("pairs", "includeSelectors", "includeTemplates"));
      for (String option : List.of("includeSelectors", "includeTemplates")) {
        if (entry.has(option) && !entry.get(option).isBoolean()) {
          throw new IOException(file + ": " + where + "." + option + " must be true or false");
        }
        if (entry.path(option).asBoolean(false)) {
          throw new KustomizationRefused(file, where + "." + option + ": true");
        }
      }
      for (Map.Entry<String, JsonNode> pair : entry.path("pairs").properties()) {
        if (!pair.getValue().isTextual()) {
          throw new IOException(file + ": " + where + ".pairs." + pair.getKey() + " must be a string (quote it)");
        }
        pairs.put(pair.getKey(), pair.getValue().asText());
      }
    }
    return pairs;
  }

  private static List<Patch> patches(String file, JsonNode patches) throws IOException {
    List<Patch> result = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : list(file, patches, "patches")) {
      String where = "patches[" + index++ + "]";
      only(file, entry, where, Set.of("path", "patch", "target"));
      Optional<String> path = text(file, entry, "path");
      Optional<String> text = text(file, entry, "patch");
      if (path.isPresent() == text.isPresent()) {
        throw new IOException(file + ": " + where + " needs exactly one of path and patch");
      }
      Optional<Target> target = Optional.empty();
      if (entry.has("target")) {
        JsonNode node = entry.get("target");
        only(file, node, where + ".target", Set.of("group", "version", "kind", "name"));
        target = Optional.of(new Target(text(file, node, "group").orElse(""), text(file, node, "version").orElse(""),
            text(file, node, "kind").orElse(""), text(file, node, "name").orElse("")));
      }
      result.add(new Patch(path, text, target));
    }
    return result;
  }

  private static List<Image> images(String file, JsonNode images) throws IOException {
    List<Image> result = new ArrayList<>();
    int index = 0;
    for (JsonNode entry : list(file, images, "images")) {
      String where = "images[" + index++ + "]";
      only(file, entry, where, Set.of("name", "newName", "newTag", "digest"));
      String name = text(file, entry, "name").orElseThrow(() -> new IOException(file + ": " + where
          + " has no name"));
      result.add(new Image(name, text(file, entry, "newName").orElse(null), text(file, entry, "newTag").orElse(null),
          text(file, entry, "digest").orElse(null)));
    }
    return result;
  }

  private static void only(String file, JsonNode node, String where, Set<String> allowed) throws IOException {
    if (!node.isObject()) {
      throw new IOException(file + ": " + where + " must be a mapping");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!allowed.contains(field)) {
        throw new KustomizationRefused(file, where + "." + field);
      }
    }
  }

  private static Iterable<JsonNode> list(String file, JsonNode node, String field) throws IOException {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IOException(file + ": " + field + " must be a list");
    }
    return node;
  }

  private static List<String> strings(String file, JsonNode node, String field) throws IOException {
    List<String> result = new ArrayList<>();
    for (JsonNode entry : list(file, node.path(field), field)) {
      if (!entry.isTextual()) {
        throw new IOException(file + ": " + field + " entries must be paths, not " + entry);
      }
      result.add(entry.asText());
    }
    return result;
  }

  private static Optional<String> text(String file, JsonNode node, String field) throws IOException {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new IOException(file + ": " + field + " must be a string, not " + value);
    }
    return Optional.of(value.asText());
  }
}
