package dev.modelship.controller.analysis.provider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the samples of the Prometheus text exposition format (comments skipped, escapes in label values). */
public final class ExpositionParser {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  private ExpositionParser() {
  }

  public static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.split("\n")) {
      lineNumber++;
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(trimmed, lineNumber));
    }
    return samples;
  }

  private static Sample parseLine(String line, int lineNumber) {
    int pos = 0;
    while (pos < line.length() && line.charAt(pos) != '{' && !Character.isWhitespace(line.charAt(pos))) {
      pos++;
    }
    String name = line.substring(0, pos);
    Map<String, String> labels = new TreeMap<>();
    if (pos < line.length() && line.charAt(pos) == '{') {
      pos = parseLabels(line, pos + 1, labels, lineNumber);
    }
    String[] rest = line.substring(pos).trim().split("\\s+");
    if (name.isEmpty() || rest.length == 0 || rest[0].isEmpty()) {
      throw new IllegalArgumentException("line " + lineNumber + " is not a sample: " + line);
    }
    return new Sample(name, Collections.unmodifiableMap(labels), value(rest[0], lineNumber));
  }

  private static int parseLabels(String line, int pos, Map<String, String> labels, int lineNumber) {
    while (true) {
      while (pos < line.length() && (line.charAt(pos) == ',' || line.charAt(pos) == ' ')) {
        pos++;
      }
      if (pos >= line.length()) {
        throw new IllegalArgumentException("line " + lineNumber + ": unterminated labels");
      }
      if (line.charAt(pos) == '}') {
        return pos + 1;
      }
      int equals = line.indexOf('=', pos);
      if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
        throw new IllegalArgumentException("line " + lineNumber + ": malformed label");
      }
      String key = line.substring(pos, equals).trim();
      StringBuilder value = new StringBuilder();
      pos = equals + 2;
      while (pos < line.length() && line.charAt(pos) != '"') {
        char c = line.charAt(pos);
        if (c == '\\' && pos + 1 < line.length()) {
          char escaped = line.charAt(++pos);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
        pos++;
      }
      labels.put(key, value.toString());
      pos++;
    }
  }

  private static double value(String text, int lineNumber) {
    switch (text) {
      case "NaN": return Double.NaN;
      case "+Inf": return Double.POSITIVE_INFINITY;
      case "-Inf": return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + lineNumber + ": value '" + text + "' is not a number");
        }
    }
  }
}
