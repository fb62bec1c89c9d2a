package dev.modelship.controller.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the top-level {@code images:} block sequence sits in a kustomization's lines, and its items. */
final class ImagesBlock {
  private static final Pattern KEY = Pattern.compile("(?:images|\"images\"|'images')[ \t]*:(?<rest>.*)");
  private static final Set<String> EMPTY_VALUES = Set.of("[]", "~", "null", "Null", "NULL");

  private final int lastContent;
  private final List<Item> items;

  private ImagesBlock(int lastContent, List<Item> items) {
    this.lastContent = lastContent;
    this.items = items;
  }

  /** The block, or null when the file has no top-level {@code images:} key. An empty {@code []} becomes a block. */
  static ImagesBlock locate(YamlLines lines) throws GitOpsException {
    for (int keyLine = 0; keyLine < lines.size(); keyLine++) {
      Matcher key = KEY.matcher(lines.get(keyLine));
      if (!key.matches()) {
        continue;
      }
      String rest = key.group("rest");
      int valueEnd = YamlLines.endOfScalar(rest, 0);
      String value = rest.substring(0, valueEnd).strip();
      if (EMPTY_VALUES.contains(value)) {
        lines.set(keyLine, lines.get(keyLine).substring(0, key.start("rest")) + rest.substring(valueEnd));
      } else if (!value.isEmpty()) {
        throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "images: is written inline ('" + value + "'); "
            + "write it as a block list (one '- name: ...' entry per line) so Modelship can set one entry");
      }
      return scan(lines, keyLine);
    }
    return null;
  }

  private static ImagesBlock scan(YamlLines lines, int keyLine) throws GitOpsException {
    int last = keyLine;
    for (int i = keyLine + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (YamlLines.isFiller(line)) {
        continue;
      }
      if (line.startsWith(" ") || isDash(line, 0)) {
        last = i;
        continue;
      }
      break;
    }
    List<Integer> starts = new ArrayList<>();
    int sequenceIndent = -1;
    for (int i = keyLine + 1; i <= last; i++) {
      String line = lines.get(i);
      if (YamlLines.isFiller(line)) {
        continue;
      }
      int indent = YamlLines.indentOf(line);
      if (sequenceIndent < 0) {
        if (!isDash(line, indent)) {
          throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, "images: in the kustomization is not a list");
        }
        sequenceIndent = indent;
      }
      if (indent == sequenceIndent && isDash(line, indent)) {
        starts.add(i);
      }
    }
    List<Item> items = new ArrayList<>();
    for (int n = 0; n < starts.size(); n++) {
      int end = n + 1 < starts.size() ? starts.get(n + 1) - 1 : last;
      items.add(Item.of(lines, starts.get(n), end, sequenceIndent));
    }
    return new ImagesBlock(last, items);
  }

  private static boolean isDash(String line, int at) {
    return line.length() > at && line.charAt(at) == '-' && (line.length() == at + 1 || line.charAt(at + 1) == ' ')
        && !line.startsWith("---");
  }

  /** The last line with content (or the key line when the list is empty). */
  int lastContent() {
    return lastContent;
  }

  List<Item> items() {
    return items;
  }

  /** One {@code - ...} item: a block mapping, or a flow mapping {@code - {name: x, ...}}. */
  record Item(int first, int lastContent, int sequenceIndent, int keyIndent, boolean flow, String name) {

    static Item of(YamlLines lines, int first, int end, int sequenceIndent) {
      int lastContent = first;
      for (int i = first + 1; i <= end; i++) {
        if (!YamlLines.isFiller(lines.get(i))) {
          lastContent = i;
        }
      }
      String firstLine = lines.get(first);
      int afterDash = sequenceIndent + 1;
      while (afterDash < firstLine.length() && firstLine.charAt(afterDash) == ' ') {
        afterDash++;
      }
      boolean contentOnFirstLine = afterDash < firstLine.length() && firstLine.charAt(afterDash) != '#';
      int keyIndent = contentOnFirstLine ? afterDash : sequenceIndent + 2;
      if (!contentOnFirstLine) {
        for (int i = first + 1; i <= lastContent; i++) {
          if (!YamlLines.isFiller(lines.get(i))) {
            keyIndent = YamlLines.indentOf(lines.get(i));
            break;
          }
        }
      }
      boolean flow = contentOnFirstLine && firstLine.charAt(afterDash) == '{';
      return new Item(first, lastContent, sequenceIndent, keyIndent, flow, nameOf(lines, first, lastContent,
          sequenceIndent));
    }

    private static String nameOf(YamlLines lines, int first, int lastContent, int sequenceIndent) {
      StringBuilder text = new StringBuilder();
      String firstLine = lines.get(first);
      text.append(firstLine, 0, sequenceIndent).append(' ').append(firstLine.substring(sequenceIndent + 1));
      for (int i = first + 1; i <= lastContent; i++) {
        text.append('\n').append(lines.get(i));
      }
      try {
        JsonNode item = YamlTrees.parse(text.toString(), "images entry");
        return item.path("name").asText(null);
      } catch (GitOpsException e) {
        return null;
      }
    }

    /** The line holding {@code key} at this item's key indentation, or -1. */
    int keyLine(YamlLines lines, String key) {
      Pattern pattern = keyPattern(key);
      for (int i = first; i <= lastContent; i++) {
        String line = lines.get(i);
        if (i != first && (YamlLines.isFiller(line) || YamlLines.indentOf(line) != keyIndent)) {
          continue;
        }
        if (line.length() > keyIndent && pattern.matcher(line).region(keyIndent, line.length()).lookingAt()) {
          return i;
        }
      }
      return -1;
    }

    /** Where the value of the key on {@code line} starts: just after its colon. */
    int valueStart(YamlLines lines, int line) {
      String text = lines.get(line);
      Matcher matcher = Pattern.compile("(?:\"[^\"]*\"|'[^']*'|[A-Za-z]+)[ \t]*:").matcher(text).region(keyIndent,
          text.length());
      if (!matcher.lookingAt()) {
        throw new IllegalStateException("no key at line " + line);
      }
      return matcher.end();
    }

    private static Pattern keyPattern(String key) {
      return Pattern.compile("(?:" + key + "|\"" + key + "\"|'" + key + "')[ \t]*:(?: |\t|$)");
    }
  }
}
