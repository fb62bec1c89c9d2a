package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A JSON patch (RFC 6902: add, remove, replace, move, copy, test) applied to one object, as Kustomize applies the
 * list-shaped patches of a {@code patches} entry with a target. An operation that cannot apply is an error naming
 * it, as it is in Kustomize.
 */
final class JsonPatch {
  private static final Set<String> OPERATIONS = Set.of("add", "remove", "replace", "move", "copy", "test");

  private JsonPatch() {
  }

  /** Checks the operations' shape before any object is touched. */
  static void validate(JsonNode operations, String where) throws IOException {
    int index = 0;
    for (JsonNode operation : operations) {
      String op = operation.path("op").asText("");
      if (!OPERATIONS.contains(op)) {
        throw new IOException(where + ": JSON patch operation " + index + " has op `" + op + "`, not one of "
            + OPERATIONS);
      }
      if (!operation.path("path").isTextual()) {
        throw new IOException(where + ": JSON patch operation " + index + " has no path");
      }
      if (Set.of("add", "replace", "test").contains(op) && !operation.has("value")) {
        throw new IOException(where + ": JSON patch operation " + index + " (" + op + ") has no value");
      }
      if (Set.of("move", "copy").contains(op) && !operation.path("from").isTextual()) {
        throw new IOException(where + ": JSON patch operation " + index + " (" + op + ") has no from");
      }
      index++;
    }
  }

  static void apply(Resource resource, JsonNode operations, String where) throws IOException {
    ObjectNode body = resource.body();
    for (JsonNode operation : operations) {
      String op = operation.get("op").asText();
      String path = operation.get("path").asText();
      String failed = where + ": JSON patch `" + op + " " + path + "` cannot apply to " + resource.kind() + " "
          + resource.name() + ": ";
      switch (op) {
        case "add" -> add(body, path, operation.get("value").deepCopy(), failed);
        case "remove" -> remove(body, path, failed);
        case "replace" -> {
          remove(body, path, failed);
          add(body, path, operation.get("value").deepCopy(), failed);
        }
        case "move" -> {
          String from = operation.get("from").asText();
          JsonNode value = get(body, from, failed);
          remove(body, from, failed);
          add(body, path, value, failed);
        }
        case "copy" -> add(body, path, get(body, operation.get("from").asText(), failed).deepCopy(), failed);
        default -> {
          if (!get(body, path, failed).equals(operation.get("value"))) {
            throw new IOException(failed + "the test failed");
          }
        }
      }
    }
    if (!body.path("metadata").path("name").asText().equals(resource.name())
        || !body.path("kind").asText().equals(resource.kind())) {
      throw new KustomizationRefused(where, "a JSON patch that renames an object or changes its kind");
    }
  }

  private static List<String> tokens(String pointer, String failed) throws IOException {
    if (pointer.isEmpty()) {
      throw new IOException(failed + "the whole object cannot be patched");
    }
    if (!pointer.startsWith("/")) {
      throw new IOException(failed + "the path must start with /");
    }
    List<String> tokens = new ArrayList<>();
    for (String token : pointer.substring(1).split("/", -1)) {
      tokens.add(token.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static JsonNode get(JsonNode body, String pointer, String failed) throws IOException {
    JsonNode node = body;
    for (String token : tokens(pointer, failed)) {
      node = child(node, token, failed);
    }
    return node;
  }

  private static JsonNode child(JsonNode node, String token, String failed) throws IOException {
    JsonNode child = node.isArray() ? node.get(index(token, node.size() - 1, failed)) : node.get(token);
    if (child == null) {
      throw new IOException(failed + token + " does not exist");
    }
    return child;
  }

  private static JsonNode parent(JsonNode body, List<String> tokens, String failed) throws IOException {
    JsonNode node = body;
    for (String token : tokens.subList(0, tokens.size() - 1)) {
      node = child(node, token, failed);
    }
    return node;
  }

  private static void add(JsonNode body, String pointer, JsonNode value, String failed) throws IOException {
    List<String> tokens = tokens(pointer, failed);
    JsonNode parent = parent(body, tokens, failed);
    String last = tokens.get(tokens.size() - 1);
    if (parent instanceof ArrayNode array) {
      array.insert(last.equals("-") ? array.size() : index(last, array.size(), failed), value);
    } else if (parent instanceof ObjectNode object) {
      object.set(last, value);
    } else {
      throw new IOException(failed + "the parent of " + last + " is not a mapping or list");
    }
  }

  private static void remove(JsonNode body, String pointer, String failed) throws IOException {
    List<String> tokens = tokens(pointer, failed);
    JsonNode parent = parent(body, tokens, failed);
    String last = tokens.get(tokens.size() - 1);
    if (parent instanceof ArrayNode array) {
      array.remove(index(last, array.size() - 1, failed));
    } else if (parent instanceof ObjectNode object && object.has(last)) {
      object.remove(last);
    } else {
      throw new IOException(failed + last + " does not exist");
    }
  }

  private static int index(String token, int max, String failed) throws IOException {
    if (!token.matches("0|[1-9][0-9]{0,8}") || Integer.parseInt(token) > max) {
      throw new IOException(failed + "list index " + token + " is out of range");
    }
    return Integer.parseInt(token);
  }
}
