package dev.modelship.controller.gitops;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Parses the small YAML files the writer edits, to check an edit (never to write them back). */
final class YamlTrees {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private YamlTrees() {
  }

  /** The document's root mapping; an empty document is an empty mapping. */
  static JsonNode parse(String text, String what) throws GitOpsException {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "the " + what + " is not valid YAML: "
          + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "the " + what + " is not a YAML mapping");
    }
    return root;
  }
}
