package dev.modelship.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutParserTest {
  private static String fixture() throws IOException {
    try (InputStream in = RolloutParserTest.class.getResourceAsStream("rendered-production.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsTheRolloutOfARenderedOverlay() throws IOException {
    List<RolloutSpec> rollouts = RolloutParser.parse(fixture());
    assertThat(rollouts).hasSize(1);
    RolloutSpec rollout = rollouts.get(0);
    assertThat(rollout.name()).isEqualTo("example-model");
    assertThat(rollout.labels()).containsEntry("modelship.dev/version", "0");
    assertThat(rollout.replicas()).isEqualTo(1);
    assertThat(rollout.abortScaleDownDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(rollout.steps().get(0)).isEqualTo(new CanaryStep.SetWeight(10));
    assertThat(rollout.steps().get(1)).isEqualTo(new CanaryStep.Pause(Optional.of(Duration.ofMinutes(2))));
    CanaryStep.Analysis analysis = (CanaryStep.Analysis) rollout.steps().get(2);
    assertThat(analysis.templates()).containsExactly("modelship-error-rate", "modelship-latency-p99");
    assertThat(analysis.args()).containsEntry("version", new CanaryStep.ArgValue.CanaryLabel("modelship.dev/version"))
        .containsEntry("prometheus-address",
            new CanaryStep.ArgValue.Literal("http://prometheus-operated.monitoring.svc:9090"));
    assertThat(rollout.background()).isPresent();
    assertThat(rollout.backgroundStartingStep()).isEqualTo(1);
  }

  @Test
  void readsPausesWithoutDurationAndInSecondsAndPodTemplateHashArgs() throws IOException {
    String yaml = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: m}
        spec:
          replicas: 2
          template: {spec: {containers: [{name: s, image: "r/m@sha256:abc"}]}}
          strategy:
            canary:
              steps:
                - pause: {}
                - pause: {duration: 45}
                - analysis:
                    templates: [{templateName: t}]
                    args: [{name: stable-hash, valueFrom: {podTemplateHashValue: Stable}}]
        """;
    RolloutSpec rollout = RolloutParser.parse(yaml).get(0);
    assertThat(rollout.image()).isEqualTo("r/m@sha256:abc");
    assertThat(rollout.replicas()).isEqualTo(2);
    assertThat(rollout.steps()).containsExactly(new CanaryStep.Pause(Optional.empty()),
        new CanaryStep.Pause(Optional.of(Duration.ofSeconds(45))), new CanaryStep.Analysis(List.of("t"),
            java.util.Map.of("stable-hash", new CanaryStep.ArgValue.PodTemplateHash(true))));
  }

  @Test
  void stepsTheLocalEngineCannotRunAreNamed() {
    String yaml = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: m}
        spec:
          template: {spec: {containers: [{name: s, image: i}]}}
          strategy: {canary: {steps: [{setWeight: 5}, {experiment: {templates: []}}]}}
        """;
    assertThatThrownBy(() -> RolloutParser.parse(yaml)).hasMessageContaining("Rollout m step 2 (experiment) is not "
        + "run by the local engine");
    assertThatThrownBy(() -> RolloutParser.parse(yaml.replace("canary", "blueGreen")))
        .hasMessageContaining("has no canary strategy");
  }
}
