package dev.modelship.controller.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.modelship.controller.analysis.AnalysisSpecException;
import dev.modelship.controller.analysis.GoDuration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Argo Rollouts {@code Rollout}s out of rendered manifests (the output of {@code kubectl kustomize}),
 * as far as the local engine runs them. A step the local engine cannot run is an error naming it, never skipped.
 */
public final class RolloutParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern LABEL_PATH = Pattern.compile("metadata\\.labels\\['([^']+)'\\]");

  private RolloutParser() {
  }

  /** Every Rollout in a multi-document YAML stream. */
  public static List<RolloutSpec> parse(String manifests) throws IOException {
    List<RolloutSpec> rollouts = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(manifests)) {
      for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (document != null && "Rollout".equals(document.path("kind").asText())
            && document.path("apiVersion").asText().startsWith("argoproj.io/")) {
          rollouts.add(rollout(document));
        }
      }
    }
    return rollouts;
  }

  private static RolloutSpec rollout(JsonNode document) throws IOException {
    String name = document.at("/metadata/name").asText();
    JsonNode canary = document.at("/spec/strategy/canary");
    if (canary.isMissingNode()) {
      throw new IOException("Rollout " + name + " has no canary strategy; the local engine runs canaries only");
    }
    JsonNode containers = document.at("/spec/template/spec/containers");
    if (!containers.isArray() || containers.isEmpty()) {
      throw new IOException("Rollout " + name + " has no container");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    document.at("/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<CanaryStep> steps = new ArrayList<>();
    int index = 0;
    for (JsonNode step : canary.path("steps")) {
      steps.add(step(name, ++index, step));
    }
    Optional<CanaryStep.Analysis> background = canary.has("analysis")
        ? Optional.of(analysis(name, "background analysis", canary.get("analysis"))) : Optional.empty();
    return new RolloutSpec(name, containers.get(0).path("image").asText(), document.at("/spec/replicas").asInt(1),
        labels, steps, background, canary.path("analysis").path("startingStep").asInt(0),
        Duration.ofSeconds(canary.path("abortScaleDownDelaySeconds").asLong(30)));
  }

  private static CanaryStep step(String rollout, int index, JsonNode step) throws IOException {
    String where = "Rollout " + rollout + " step " + index;
    if (step.has("setWeight")) {
      return new CanaryStep.SetWeight(step.get("setWeight").asInt());
    }
    if (step.has("pause")) {
      JsonNode duration = step.get("pause").path("duration");
      if (duration.isMissingNode() || duration.isNull()) {
        return new CanaryStep.Pause(Optional.empty());
      }
      try {
        return new CanaryStep.Pause(Optional.of(duration.isNumber() ? Duration.ofSeconds(duration.asLong())
            : GoDuration.parse(duration.asText())));
      } catch (AnalysisSpecException e) {
        throw new IOException(where + ": pause " + e.getMessage(), e);
      }
    }
    if (step.has("analysis")) {
      return analysis(rollout, where, step.get("analysis"));
    }
    throw new IOException(where + " (" + step.fieldNames().next() + ") is not run by the local engine, which "
        + "runs setWeight, pause and analysis steps; use Argo Rollouts for the others");
  }

  private static CanaryStep.Analysis analysis(String rollout, String where, JsonNode analysis) throws IOException {
    List<String> templates = new ArrayList<>();
    for (JsonNode template : analysis.path("templates")) {
      templates.add(template.path("templateName").asText());
    }
    if (templates.isEmpty()) {
      throw new IOException("Rollout " + rollout + " " + where + " names no analysis template");
    }
    Map<String, CanaryStep.ArgValue> args = new LinkedHashMap<>();
    for (JsonNode arg : analysis.path("args")) {
      args.put(arg.path("name").asText(), argValue(rollout, where, arg));
    }
    return new CanaryStep.Analysis(templates, args);
  }

  private static CanaryStep.ArgValue argValue(String rollout, String where, JsonNode arg) throws IOException {
    if (arg.has("value")) {
      return new CanaryStep.ArgValue.Literal(arg.get("value").asText());
    }
    JsonNode from = arg.path("valueFrom");
    if (from.has("podTemplateHashValue")) {
      return new CanaryStep.ArgValue.PodTemplateHash("Stable".equals(from.get("podTemplateHashValue").asText()));
    }
    Matcher label = LABEL_PATH.matcher(from.path("fieldRef").path("fieldPath").asText());
    if (label.matches()) {
      return new CanaryStep.ArgValue.CanaryLabel(label.group(1));
    }
    throw new IOException("Rollout " + rollout + " " + where + ": arg " + arg.path("name").asText()
        + " takes its value from " + from + ", which the local engine cannot resolve (it resolves value, "
        + "podTemplateHashValue and fieldRef metadata.labels['...'])");
  }
}
