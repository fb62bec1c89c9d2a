package dev.modelship.controller.gitops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A YAML file as lines, for edits that leave every other byte alone: the line ending (LF or CRLF) and a missing
 * final newline are kept.
 */
final class YamlLines {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./:@+-]*");
  private static final Set<String> NOT_STRINGS = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null",
      "~");

  private final List<String> lines;
  private final String newline;
  private final boolean finalNewline;

  private YamlLines(List<String> lines, String newline, boolean finalNewline) {
    this.lines = lines;
    this.newline = newline;
    this.finalNewline = finalNewline;
  }

  static YamlLines of(String text) {
    String newline = text.contains("\r\n") ? "\r\n" : "\n";
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    boolean finalNewline = text.isEmpty() || text.endsWith("\n");
    if (finalNewline) {
      lines.remove(lines.size() - 1);
    }
    return new YamlLines(lines, newline, finalNewline);
  }

  String text() {
    return String.join(newline, lines) + (finalNewline && !lines.isEmpty() ? newline : "");
  }

  int size() {
    return lines.size();
  }

  String get(int index) {
    return lines.get(index);
  }

  void set(int index, String line) {
    lines.set(index, line);
  }

  void add(int index, String line) {
    lines.add(index, line);
  }

  void addAll(int index, List<String> added) {
    lines.addAll(index, added);
  }

  void remove(int index) {
    lines.remove(index);
  }

  /** Replaces lines {@code first..last} (inclusive) with {@code replacement}. */
  void replace(int first, int last, List<String> replacement) {
    lines.subList(first, last + 1).clear();
    lines.addAll(first, replacement);
  }

  static int indentOf(String line) {
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    return indent;
  }

  /** Blank, or only a comment: such lines belong to no entry. */
  static boolean isFiller(String line) {
    String stripped = line.strip();
    return stripped.isEmpty() || stripped.startsWith("#");
  }

  /** {@code line} with the scalar starting at {@code valueStart} replaced, its trailing comment kept. */
  static String withValue(String line, int valueStart, String value) {
    int valueEnd = endOfScalar(line, valueStart);
    String before = line.substring(0, valueStart);
    return before + (before.endsWith(" ") ? "" : " ") + value + line.substring(valueEnd);
  }

  /** Where the scalar starting at {@code start} ends: before trailing blanks and a comment. */
  static int endOfScalar(String line, int start) {
    int i = start;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    if (i < line.length() && (line.charAt(i) == '"' || line.charAt(i) == '\'')) {
      char quote = line.charAt(i);
      for (i = i + 1; i < line.length(); i++) {
        if (quote == '"' && line.charAt(i) == '\\') {
          i++;
        } else if (line.charAt(i) == quote) {
          if (quote == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
            i++;
          } else {
            return i + 1;
          }
        }
      }
      return line.length();
    }
    int end = line.length();
    for (int j = i; j < line.length(); j++) {
      if (line.charAt(j) == '#' && j > 0 && (line.charAt(j - 1) == ' ' || line.charAt(j - 1) == '\t')) {
        end = j;
        break;
      }
    }
    while (end > i && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    return end;
  }

  /** A string as a YAML scalar: plain when it cannot be read as anything else, else double-quoted. */
  static String scalar(String value) {
    if (PLAIN.matcher(value).matches() && !NOT_STRINGS.contains(value.toLowerCase(Locale.ROOT))) {
      return value;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\x%02x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
