package dev.modelship.controller.analysis;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Argo Rollouts writes them ({@code 30s}, {@code 1m}, {@code 1h30m}, {@code 500ms}). */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

  private GoDuration() {
  }

  public static Duration parse(String text) throws AnalysisSpecException {
    if (text == null || text.isBlank()) {
      throw new AnalysisSpecException("empty duration");
    }
    Matcher matcher = PART.matcher(text.trim());
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        break;
      }
      long amount = Long.parseLong(matcher.group(1));
      switch (matcher.group(2)) {
        case "ms": total = total.plusMillis(amount); break;
        case "s": total = total.plusSeconds(amount); break;
        case "m": total = total.plusMinutes(amount); break;
        default: total = total.plusHours(amount);
      }
      end = matcher.end();
    }
    if (end == 0 || end != text.trim().length()) {
      throw new AnalysisSpecException("'" + text + "' is not a duration (examples: 30s, 1m, 1h30m, 500ms)");
    }
    return total;
  }

  /** The shortest Argo form: 90 s is {@code 1m30s}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long hours = duration.toHours();
    long minutes = duration.toMinutesPart();
    long seconds = duration.toSecondsPart();
    long millis = duration.toMillisPart();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0) {
      text.append(seconds).append('s');
    }
    if (millis > 0) {
      text.append(millis).append("ms");
    }
    return text.toString();
  }
}
