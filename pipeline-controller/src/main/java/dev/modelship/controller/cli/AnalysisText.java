package dev.modelship.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An analysis in one line, as {@code status} and the progress of {@code up} and {@code demo} show it, read from the
 * API's JSON shape of an {@link dev.modelship.controller.analysis.AnalysisStatus}.
 */
final class AnalysisText {
  private AnalysisText() {
  }

  /** Each metric's latest measured value and its counts, e.g. {@code error-rate 0.0012 (3 ok, 1 failed)}. */
  static String metrics(JsonNode analysis) {
    StringBuilder text = new StringBuilder();
    for (JsonNode metric : analysis.path("metrics")) {
      String name = metric.path("metric").asText();
      JsonNode taken = analysis.path("measurements").path(name);
      JsonNode value = taken.isArray() && !taken.isEmpty() ? taken.get(taken.size() - 1).path("value")
          : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      String shown;
      if (value.path("values").isArray()) {
        List<String> numbers = new java.util.ArrayList<>();
        value.path("values").forEach(v -> numbers.add(number(v)));
        shown = numbers.isEmpty() ? "no series" : String.join(",", numbers);
      } else if (value.has("value")) {
        shown = number(value.path("value"));
      } else if (value.has("detail")) {
        shown = "no data";
      } else if (value.has("message")) {
        shown = "error";
      } else {
        shown = "-";
      }
      text.append(text.length() == 0 ? " " : "; ").append(name).append(' ').append(shown).append(" (")
          .append(metric.path("successful").asInt()).append(" ok");
      for (String count : List.of("failed", "inconclusive", "errors")) {
        if (metric.path(count).asInt() > 0) {
          text.append(", ").append(metric.path(count).asInt()).append(' ').append(count);
        }
      }
      text.append(')');
    }
    return text.toString();
  }

  private static String number(JsonNode value) {
    return value.isNumber() ? String.format(java.util.Locale.ROOT, "%.4g", value.asDouble()) : value.asText();
  }
}
