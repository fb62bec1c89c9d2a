package dev.modelship.controller.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CustomResourceDefinition's {@code openAPIV3Schema}, and a validator of objects against it with the API server's
 * structural-schema rules: types, {@code required}, {@code properties}, {@code items}, {@code additionalProperties},
 * {@code enum}, {@code pattern}, {@code anyOf}, {@code x-kubernetes-int-or-string},
 * {@code x-kubernetes-preserve-unknown-fields}; a field the schema does not declare is an error (the API server
 * would prune it). CEL rules ({@code x-kubernetes-validations}) need a CEL engine and are not checked.
 */
final class CrdSchema {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> OBJECT_META = Set.of("name", "generateName", "namespace", "labels", "annotations",
      "finalizers", "ownerReferences");

  private final String kind;
  private final String group;
  private final boolean clusterScoped;
  private final Map<String, JsonNode> schemaByVersion;
  private final Map<String, Pattern> patterns = new HashMap<>();

  private CrdSchema(String kind, String group, boolean clusterScoped, Map<String, JsonNode> schemaByVersion) {
    this.kind = kind;
    this.group = group;
    this.clusterScoped = clusterScoped;
    this.schemaByVersion = schemaByVersion;
  }

  static CrdSchema load(Path crdFile) throws IOException {
    JsonNode crd = YAML.readTree(crdFile.toFile());
    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
      throw new IllegalArgumentException(crdFile + " is not a CustomResourceDefinition");
    }
    JsonNode spec = crd.path("spec");
    Map<String, JsonNode> versions = new HashMap<>();
    for (JsonNode version : spec.path("versions")) {
      if (version.path("served").asBoolean(false)) {
        versions.put(version.path("name").asText(), version.path("schema").path("openAPIV3Schema"));
      }
    }
    return new CrdSchema(spec.path("names").path("kind").asText(), spec.path("group").asText(),
        "Cluster".equals(spec.path("scope").asText()), versions);
  }

  /** Schema of an object given directly, for tests of the validator itself. */
  static CrdSchema of(String kind, String group, boolean clusterScoped, String version, JsonNode schema) {
    return new CrdSchema(kind, group, clusterScoped, Map.of(version, schema));
  }

  String kind() {
    return kind;
  }

  /** Everything wrong with {@code object}, each as {@code path: problem}; empty when the API server would take it. */
  List<String> validate(JsonNode object) {
    List<String> errors = new ArrayList<>();
    if (!kind.equals(object.path("kind").asText())) {
      errors.add("kind: expected " + kind + ", got " + object.path("kind"));
      return errors;
    }
    String apiVersion = object.path("apiVersion").asText();
    String version = apiVersion.startsWith(group + "/") ? apiVersion.substring(group.length() + 1) : null;
    JsonNode schema = version == null ? null : schemaByVersion.get(version);
    if (schema == null) {
      errors.add("apiVersion: " + apiVersion + " is not served (" + group + "/" + schemaByVersion.keySet() + ")");
      return errors;
    }
    validateMetadata(object.path("metadata"), errors);
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("metadata") || field.getKey().equals("apiVersion") || field.getKey().equals("kind")) {
        continue;
      }
      JsonNode property = schema.path("properties").get(field.getKey());
      if (property == null) {
        errors.add(field.getKey() + ": unknown field");
      } else {
        validate(field.getValue(), property, field.getKey(), errors);
      }
    }
    required(object, schema, "", errors);
    return errors;
  }

  private void validateMetadata(JsonNode metadata, List<String> errors) {
    if (!metadata.isObject()) {
      errors.add("metadata: missing");
      return;
    }
    metadata.fieldNames().forEachRemaining(name -> {
      if (!OBJECT_META.contains(name)) {
        errors.add("metadata." + name + ": unknown or not settable field");
      }
    });
    if (!metadata.path("name").isTextual() && !metadata.path("generateName").isTextual()) {
      errors.add("metadata.name: required");
    }
    if (clusterScoped && metadata.has("namespace")) {
      errors.add("metadata.namespace: " + kind + " is cluster-scoped");
    }
    for (String map : List.of("labels", "annotations")) {
      metadata.path(map).fields().forEachRemaining(entry -> {
        if (!entry.getValue().isTextual()) {
          errors.add("metadata." + map + "." + entry.getKey() + ": must be a string, got " + entry.getValue());
        }
      });
    }
  }

  private void validate(JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (value.isNull()) {
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (value.isTextual()) {
        validateString(value, schema, path, errors);
      } else if (!value.isIntegralNumber()) {
        errors.add(path + ": must be an integer or a string, got " + value);
      }
      return;
    }
    if (schema.has("anyOf") && !schema.has("type")) {
      for (JsonNode branch : schema.path("anyOf")) {
        List<String> branchErrors = new ArrayList<>();
        validate(value, branch, path, branchErrors);
        if (branchErrors.isEmpty()) {
          return;
        }
      }
      errors.add(path + ": matches none of " + schema.path("anyOf"));
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object": validateObject(value, schema, path, errors); break;
      case "array": validateArray(value, schema, path, errors); break;
      case "string": validateString(value, schema, path, errors); break;
      case "integer":
        if (!value.isIntegralNumber()) {
          errors.add(path + ": must be an integer, got " + describe(value));
        }
        break;
      case "number":
        if (!value.isNumber()) {
          errors.add(path + ": must be a number, got " + describe(value));
        }
        break;
      case "boolean":
        if (!value.isBoolean()) {
          errors.add(path + ": must be a boolean, got " + describe(value));
        }
        break;
      default:
        if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
          errors.add(path + ": the schema gives no type and does not preserve unknown fields");
        }
    }
    if (schema.has("enum") && !contains(schema.path("enum"), value)) {
      errors.add(path + ": " + value + " is not one of " + schema.path("enum"));
    }
  }

  private void validateObject(JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (!value.isObject()) {
      errors.add(path + ": must be an object, got " + describe(value));
      return;
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    value.fields().forEachRemaining(field -> {
      String fieldPath = path + "." + field.getKey();
      JsonNode property = properties.get(field.getKey());
      if (property != null) {
        validate(field.getValue(), property, fieldPath, errors);
      } else if (additional != null && additional.isObject()) {
        validate(field.getValue(), additional, fieldPath, errors);
      } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
        errors.add(fieldPath + ": unknown field");
      }
    });
    required(value, schema, path, errors);
  }

  private static void required(JsonNode value, JsonNode schema, String path, List<String> errors) {
    for (JsonNode name : schema.path("required")) {
      JsonNode field = value.get(name.asText());
      if (field == null || field.isNull()) {
        errors.add((path.isEmpty() ? "" : path + ".") + name.asText() + ": required");
      }
    }
  }

  private void validateArray(JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (!value.isArray()) {
      errors.add(path + ": must be a list, got " + describe(value));
      return;
    }
    JsonNode items = schema.get("items");
    for (int i = 0; i < value.size(); i++) {
      if (items != null) {
        validate(value.get(i), items, path + "[" + i + "]", errors);
      }
    }
  }

  private void validateString(JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (!value.isTextual()) {
      errors.add(path + ": must be a string, got " + describe(value));
      return;
    }
    if (schema.has("pattern")) {
      Pattern pattern = patterns.computeIfAbsent(schema.path("pattern").asText(), Pattern::compile);
      if (!pattern.matcher(value.asText()).find()) {
        errors.add(path + ": '" + value.asText() + "' does not match " + pattern);
      }
    }
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode candidate : values) {
      if (candidate.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(JsonNode value) {
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }
}
