package dev.modelship.controller.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and sets one entry of a kustomization's {@code images:} list. The file is edited line by line, never
 * re-serialised, so comments, key order, quoting and blank lines survive byte for byte; only the lines of the
 * entry's {@code newName}, {@code newTag} and {@code digest} change (or the entry is appended). Every edit is then
 * checked by parsing both texts: everything but the images list must be equal, and the list must be the old one
 * with exactly that entry set. An edit that fails the check is refused, never written.
 */
public final class KustomizationImages {
  private static final List<String> SET_KEYS = List.of("newName", "newTag", "digest");
  private static final int DEFAULT_SEQUENCE_INDENT = 2;

  /** One {@code images:} entry; {@code newTag} may be null. */
  public record Entry(String name, String newName, String newTag, String digest) {
    public static Entry pinning(PinnedImage image) {
      return new Entry(RepoLayout.IMAGE_NAME, image.repository(), image.tag(), image.digest());
    }

    /** The image this entry pins, if it is complete. */
    public Optional<PinnedImage> image() {
      if (newName == null || digest == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(new PinnedImage(newName, newTag, digest));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    private String value(String key) {
      switch (key) {
        case "newName": return newName;
        case "newTag": return newTag;
        default: return digest;
      }
    }
  }

  private KustomizationImages() {
  }

  /** The entry named {@code name}, if the list has one. */
  public static Optional<Entry> find(String kustomization, String name) throws GitOpsException {
    for (JsonNode element : imagesOf(YamlTrees.parse(kustomization, "kustomization"))) {
      if (name.equals(element.path("name").asText(null))) {
        return Optional.of(new Entry(name, text(element, "newName"), text(element, "newTag"), text(element,
            "digest")));
      }
    }
    return Optional.empty();
  }

  /** The text with the entry {@code entry.name()} set to {@code entry}, appended (with the list) when missing. */
  public static String set(String kustomization, Entry entry) throws GitOpsException {
    JsonNode before = YamlTrees.parse(kustomization, "kustomization");
    YamlLines lines = YamlLines.of(kustomization);
    ImagesBlock block = ImagesBlock.locate(lines);
    if (block == null) {
      appendList(lines, entry);
    } else {
      setInBlock(lines, block, entry);
    }
    String result = lines.text();
    verify(before, result, entry);
    return result;
  }

  private static void appendList(YamlLines lines, Entry entry) {
    lines.add(lines.size(), "images:");
    lines.addAll(lines.size(), newItem(entry, DEFAULT_SEQUENCE_INDENT, DEFAULT_SEQUENCE_INDENT + 2));
  }

  private static void setInBlock(YamlLines lines, ImagesBlock block, Entry entry) throws GitOpsException {
    List<ImagesBlock.Item> items = block.items();
    for (ImagesBlock.Item item : items) {
      if (entry.name().equals(item.name())) {
        if (item.flow() || !rewriteKeys(lines, item, entry)) {
          lines.replace(item.first(), item.lastContent(), newItem(entry, item.sequenceIndent(),
              item.sequenceIndent() + 2));
        }
        return;
      }
    }
    int sequenceIndent = items.isEmpty() ? DEFAULT_SEQUENCE_INDENT : items.get(items.size() - 1).sequenceIndent();
    int keyIndent = items.isEmpty() || items.get(items.size() - 1).flow() ? sequenceIndent + 2
        : items.get(items.size() - 1).keyIndent();
    lines.addAll(block.lastContent() + 1, newItem(entry, sequenceIndent, keyIndent));
  }

  /**
   * Sets the keys of a block-mapping item in place; false when the item must be rewritten whole instead (a key to
   * remove sits on the item's first line, after the dash).
   */
  private static boolean rewriteKeys(YamlLines lines, ImagesBlock.Item item, Entry entry) {
    List<String> missing = new ArrayList<>();
    List<Integer> toRemove = new ArrayList<>();
    for (String key : SET_KEYS) {
      String value = entry.value(key);
      int line = item.keyLine(lines, key);
      if (line < 0) {
        if (value != null) {
          missing.add(key);
        }
      } else if (value == null) {
        if (line == item.first()) {
          return false;
        }
        toRemove.add(line);
      } else {
        lines.set(line, YamlLines.withValue(lines.get(line), item.valueStart(lines, line), YamlLines.scalar(value)));
      }
    }
    List<String> added = new ArrayList<>();
    for (String key : missing) {
      added.add(" ".repeat(item.keyIndent()) + key + ": " + YamlLines.scalar(entry.value(key)));
    }
    lines.addAll(item.lastContent() + 1, added);
    toRemove.sort(java.util.Comparator.reverseOrder());
    toRemove.forEach(line -> lines.remove(line));
    return true;
  }

  private static List<String> newItem(Entry entry, int sequenceIndent, int keyIndent) {
    List<String> item = new ArrayList<>();
    String dash = " ".repeat(sequenceIndent) + "-";
    item.add(dash + " ".repeat(Math.max(1, keyIndent - dash.length())) + "name: " + YamlLines.scalar(entry.name()));
    for (String key : SET_KEYS) {
      if (entry.value(key) != null) {
        item.add(" ".repeat(keyIndent) + key + ": " + YamlLines.scalar(entry.value(key)));
      }
    }
    return item;
  }

  private static void verify(JsonNode before, String result, Entry entry) throws GitOpsException {
    JsonNode after = YamlTrees.parse(result, "edited kustomization");
    ArrayNode expected = JsonNodeFactory.instance.arrayNode();
    boolean replaced = false;
    for (JsonNode element : imagesOf(before)) {
      if (!replaced && entry.name().equals(element.path("name").asText(null))) {
        expected.add(withEntry((ObjectNode) element.deepCopy(), entry));
        replaced = true;
      } else {
        expected.add(element);
      }
    }
    if (!replaced) {
      expected.add(withEntry(JsonNodeFactory.instance.objectNode().put("name", entry.name()), entry));
    }
    if (!withoutImages(before).equals(withoutImages(after)) || !expected.equals(after.path("images"))) {
      throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "cannot set image '" + entry.name() + "' in this "
          + "kustomization without changing anything else (an unusual layout of its images: list?); set it by hand "
          + "or write images: as a plain block list");
    }
  }

  private static ObjectNode withEntry(ObjectNode element, Entry entry) {
    for (String key : SET_KEYS) {
      if (entry.value(key) == null) {
        element.remove(key);
      } else {
        element.put(key, entry.value(key));
      }
    }
    return element;
  }

  private static JsonNode withoutImages(JsonNode root) {
    ObjectNode copy = root.deepCopy();
    copy.remove("images");
    return copy;
  }

  private static List<JsonNode> imagesOf(JsonNode root) throws GitOpsException {
    JsonNode images = root.path("images");
    if (images.isMissingNode() || images.isNull()) {
      return List.of();
    }
    if (!images.isArray()) {
      throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "images: in the kustomization is not a list");
    }
    List<JsonNode> elements = new ArrayList<>();
    for (JsonNode element : images) {
      if (!element.isObject()) {
        throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "an images: entry of the kustomization is not a "
            + "mapping: " + element);
      }
      elements.add(element);
    }
    return elements;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
