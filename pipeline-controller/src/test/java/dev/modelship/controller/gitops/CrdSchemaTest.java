package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrdSchemaTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String VALID_ROLLOUT = String.join("\n",
      "apiVersion: argoproj.io/v1alpha1",
      "kind: Rollout",
      "metadata: {name: clicks, labels: {app: clicks}}",
      "spec:",
      "  selector: {matchLabels: {app: clicks}}",
      "  strategy:",
      "    canary:",
      "      maxSurge: 25%",
      "      maxUnavailable: 0",
      "      steps: [{setWeight: 10}, {pause: {duration: 2m}}]",
      "  template:",
      "    metadata: {labels: {app: clicks}}",
      "    spec:",
      "      containers:",
      "        - name: server",
      "          image: serving@sha256:" + "a".repeat(64),
      "          resources: {limits: {cpu: '2', memory: 2Gi, nvidia.com/gpu: 1}}",
      "");

  private static CrdSchema rollout;

  @BeforeAll
  static void loadTheOfficialRolloutCrd() throws Exception {
    rollout = CrdSchema.load(ProjectFiles.crd("rollout-crd.yaml"));
  }

  @Test
  void acceptsAValidRollout() throws Exception {
    assertThat(rollout.validate(YAML.readTree(VALID_ROLLOUT))).isEmpty();
  }

  @Test
  void rejectsAnUnknownFieldWhereTheSchemaIsStructural() throws Exception {
    assertThat(rollout.validate(YAML.readTree(VALID_ROLLOUT.replace("maxSurge: 25%", "maxSurge: 25%\n      surge: 1"))))
        .containsExactly("spec.strategy.canary.surge: unknown field");
  }

  @Test
  void rejectsAWrongTypeAndNamesThePath() throws Exception {
    JsonNode rolloutWithStringWeight = YAML.readTree(VALID_ROLLOUT.replace("setWeight: 10", "setWeight: '10'"));

    assertThat(rollout.validate(rolloutWithStringWeight))
        .containsExactly("spec.strategy.canary.steps[0].setWeight: must be an integer, got string \"10\"");
  }

  @Test
  void rejectsAMissingRequiredField() throws Exception {
    assertThat(rollout.validate(YAML.readTree(VALID_ROLLOUT.replace("        - name: server\n          image",
        "        - image")))).containsExactly("spec.template.spec.containers[0].name: required");
  }

  @Test
  void takesIntOrStringFieldsEitherWayButChecksQuantityPatterns() throws Exception {
    assertThat(rollout.validate(YAML.readTree(VALID_ROLLOUT.replace("maxUnavailable: 0", "maxUnavailable: 10%"))))
        .isEmpty();
    assertThat(rollout.validate(YAML.readTree(VALID_ROLLOUT.replace("maxUnavailable: 0", "maxUnavailable: true"))))
        .containsExactly("spec.strategy.canary.maxUnavailable: must be an integer or a string, got true");
    assertThat(rollout.validate(YAML.readTree(VALID_ROLLOUT.replace("      containers:",
        "      overhead: {memory: two}\n      containers:")))).singleElement().asString()
        .startsWith("spec.template.spec.overhead.memory: 'two' does not match");
  }

  @Test
  void preservesUnknownFieldsWhereTheSchemaSaysSo() throws Exception {
    JsonNode schema = YAML.readTree("type: object\nproperties:\n  spec:\n    type: object\n"
        + "    x-kubernetes-preserve-unknown-fields: true\n");
    CrdSchema free = CrdSchema.of("Thing", "example.com", false, "v1", schema);

    assertThat(free.validate(YAML.readTree("apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: a}\n"
        + "spec: {anything: [1, 2]}\n"))).isEmpty();
  }

  @Test
  void checksEnumsVersionsMetadataAndScope() throws Exception {
    JsonNode schema = YAML.readTree("type: object\nproperties:\n  spec:\n    type: object\n    properties:\n"
        + "      mode: {type: string, enum: [a, b]}\n");
    CrdSchema clusterThing = CrdSchema.of("Thing", "example.com", true, "v1", schema);

    assertThat(clusterThing.validate(YAML.readTree("apiVersion: example.com/v1\nkind: Thing\n"
        + "metadata: {name: a, namespace: x, labels: {n: 1}}\nspec: {mode: c}\n"))).containsExactlyInAnyOrder(
        "metadata.namespace: Thing is cluster-scoped", "metadata.labels.n: must be a string, got 1",
        "spec.mode: \"c\" is not one of [\"a\",\"b\"]");
    assertThat(clusterThing.validate(YAML.readTree("apiVersion: example.com/v2\nkind: Thing\nmetadata: {name: a}\n")))
        .singleElement().asString().startsWith("apiVersion: example.com/v2 is not served");
  }
}
