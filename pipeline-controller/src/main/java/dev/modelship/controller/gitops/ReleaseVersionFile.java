package dev.modelship.controller.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An overlay's {@code release.yaml}: a patch setting the Rollout's label {@code modelship.dev/version}, from which
 * the canary analysis learns which version's metrics to judge. Edited on its one line, like the images entry.
 */
public final class ReleaseVersionFile {
  static final String LABEL = "modelship.dev/version";
  private static final Pattern LINE = Pattern.compile("(?m)^(?<key>[ \t]+(?:modelship\\.dev/version|"
      + "\"modelship\\.dev/version\"|'modelship\\.dev/version')[ \t]*:)(?<value>[^\r\n]*)$");

  private ReleaseVersionFile() {
  }

  /** The version the file sets, if it sets one. */
  public static Optional<String> version(String text) throws GitOpsException {
    JsonNode label = YamlTrees.parse(text, "release.yaml").path("metadata").path("labels").path(LABEL);
    return label.isValueNode() && !label.isNull() ? Optional.of(label.asText()) : Optional.empty();
  }

  /** The text with the label set to {@code version}, nothing else changed. */
  public static String withVersion(String text, String version) throws GitOpsException {
    JsonNode before = YamlTrees.parse(text, "release.yaml");
    Matcher matcher = LINE.matcher(text);
    if (!matcher.find()) {
      throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "release.yaml has no '" + LABEL + ":' label line "
          + "to set");
    }
    int valueStart = matcher.start("value");
    int lineEnd = matcher.end("value");
    String line = text.substring(matcher.start(), lineEnd);
    String edited = YamlLines.withValue(line, valueStart - matcher.start(), "\"" + version + "\"");
    String result = text.substring(0, matcher.start()) + edited + text.substring(lineEnd);
    ObjectNode expected = before.deepCopy();
    JsonNode labels = expected.path("metadata").path("labels");
    if (labels instanceof ObjectNode) {
      ((ObjectNode) labels).put(LABEL, version);
    }
    if (!expected.equals(YamlTrees.parse(result, "edited release.yaml"))) {
      throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "cannot set " + LABEL + " in release.yaml without "
          + "changing anything else; set it by hand");
    }
    return result;
  }
}
