package dev.modelship.controller.validate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.modelship.controller.registry.ModelVersionRef;
import java.util.List;
import java.util.Map;

/**
 * The gate's verdict on one version, and every check behind it. Stored as JSON next to the version (see
 * {@link ValidationStore}); the field {@code outcome} is what the rest of the pipeline reads.
 *
 * @param model the model name from modelship.yaml
 * @param version the version validated, when the package came from a registry
 * @param digest the challenger package's digest
 * @param champion what it was compared with (a version such as {@code clicks:2}, or a folder), if anything
 * @param metrics the challenger's holdout metrics
 * @param championMetrics the champion's metrics on the same holdout rows
 * @param validatedAt when, ISO-8601 UTC
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationReport(String model, String version, String digest, String champion, String championDigest,
                               Outcome outcome, List<CheckResult> checks, Map<String, Double> metrics,
                               Map<String, Double> championMetrics, String validatedAt) {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ValidationReport {
    checks = List.copyOf(checks);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    championMetrics = championMetrics == null ? Map.of() : Map.copyOf(championMetrics);
  }

  public ValidationReport withVersion(ModelVersionRef ref) {
    if (!ref.name().equals(model)) {
      throw new IllegalArgumentException("report of model '" + model + "' cannot be filed under " + ref);
    }
    return new ValidationReport(model, ref.versionText(), digest, champion, championDigest, outcome, checks, metrics,
        championMetrics, validatedAt);
  }

  public ValidationReport withChampion(String label) {
    return new ValidationReport(model, version, digest, label, championDigest, outcome, checks, metrics,
        championMetrics, validatedAt);
  }

  /** The checks that failed, each naming what was measured and the bar. */
  public List<CheckResult> failures() {
    return checks.stream().filter(c -> c.status() == CheckResult.Status.FAILED).toList();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a validation report as JSON", e);
    }
  }

  public static ValidationReport fromJson(String json) throws JsonProcessingException {
    return JSON.readValue(json, ValidationReport.class);
  }

  /** A heading with the verdict, then one line per check. */
  public String summary() {
    StringBuilder text = new StringBuilder(model + (version == null ? "" : ":" + version) + " (" + digest + ")");
    if (champion != null) {
      text.append(" against ").append(champion);
    }
    text.append(": ").append(outcome).append('\n');
    checks.forEach(check -> text.append("  ").append(check.summaryLine()).append('\n'));
    return text.toString();
  }
}
