package dev.modelship.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisResolverTest {
  private static final String SPEC = """
      name: error-rate
      args:
        - name: model
        - name: version
        - name: max-error-rate
          value: "0.01"
        - name: prometheus-address
          value: http://127.0.0.1:9090/
      metrics:
        - name: error-rate
          interval: 30s
          count: 5
          initialDelay: 1m30s
          failureLimit: 1
          inconclusiveLimit: 2
          successCondition: len(result) > 0 && result[0] <= {{args.max-error-rate}}
          failureCondition: len(result) > 0 && result[0] > {{ args.max-error-rate }}
          provider:
            prometheus:
              address: "{{args.prometheus-address}}"
              timeout: 5
              headers:
                - key: X-Scope-OrgID
                  value: "team-{{args.model}}"
              query: |
                sum(rate(modelship_requests_total{model="{{args.model}}",version="{{args.version}}",code=~"5.."}[1m]))
      """;

  @Test
  void substitutesArgsAndDefaultsAndParsesEverything() throws Exception {
    List<ResolvedMetric> metrics = AnalysisResolver.resolve(AnalysisSpec.parse(SPEC),
        Map.of("model", "clicks", "version", "7"));
    ResolvedMetric metric = metrics.get(0);
    assertThat(metric.interval()).contains(Duration.ofSeconds(30));
    assertThat(metric.effectiveCount()).isEqualTo(5);
    assertThat(metric.initialDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(metric.failureLimit()).isEqualTo(1);
    assertThat(metric.inconclusiveLimit()).isEqualTo(2);
    assertThat(metric.consecutiveErrorLimit()).isEqualTo(4);
    assertThat(metric.successCondition().text()).isEqualTo("len(result) > 0 && result[0] <= 0.01");
    assertThat(metric.failureCondition().text()).isEqualTo("len(result) > 0 && result[0] > 0.01");
    assertThat(metric.query().address().toString()).isEqualTo("http://127.0.0.1:9090");
    assertThat(metric.query().query())
        .isEqualTo("sum(rate(modelship_requests_total{model=\"clicks\",version=\"7\",code=~\"5..\"}[1m]))");
    assertThat(metric.query().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(metric.query().headers()).containsEntry("X-Scope-OrgID", "team-clicks");
  }

  @Test
  void aMissingArgIsAnErrorNeverAnEmptyString() throws Exception {
    assertThatThrownBy(() -> AnalysisResolver.resolve(AnalysisSpec.parse(SPEC), Map.of("model", "clicks")))
        .isInstanceOf(AnalysisSpecException.class)
        .hasMessageContaining("uses {{args.version}}, but no value was given for arg 'version'");
  }

  @Test
  void anUndeclaredArgIsAnError() throws Exception {
    assertThatThrownBy(() -> AnalysisResolver.resolve(AnalysisSpec.parse(SPEC.replace("{{args.version}}",
        "{{args.revision}}")), Map.of("model", "clicks", "version", "1")))
        .hasMessageContaining("no arg 'revision' is declared");
    assertThatThrownBy(() -> AnalysisResolver.resolve(AnalysisSpec.parse(SPEC),
        Map.of("model", "clicks", "version", "1", "colour", "red")))
        .hasMessageContaining("arg 'colour' is not declared");
  }

  @Test
  void badFieldsAreNamed() throws Exception {
    Map<String, String> args = Map.of("model", "clicks", "version", "1");
    assertThatThrownBy(() -> AnalysisResolver.resolve(AnalysisSpec.parse(SPEC.replace("inconclusiveLimit: 2",
        "inconclusiveLimit: \"{{args.max-error-rate}}\"")), args))
        .hasMessageContaining("metric 'error-rate' inconclusiveLimit must be a whole number, got '0.01'");
    assertThatThrownBy(() -> AnalysisResolver.resolve(AnalysisSpec.parse(SPEC.replace("interval: 30s",
        "interval: soon")), args)).hasMessageContaining("metric 'error-rate' interval: 'soon' is not a duration");
    assertThatThrownBy(() -> AnalysisResolver.resolve(AnalysisSpec.parse(SPEC.replace("result[0] <=",
        "result[0] =<")), args)).hasMessageContaining("metric 'error-rate' successCondition");
    assertThatThrownBy(() -> AnalysisResolver.resolve(AnalysisSpec.parse(SPEC.replace("http://127.0.0.1:9090/",
        "prometheus:9090")), args)).hasMessageContaining("must be an http(s) URL");
  }

  @Test
  void unknownKeysAndProvidersAreConfigurationErrors() {
    assertThatThrownBy(() -> AnalysisSpec.parse(SPEC.replace("failureLimit: 1", "failureLimt: 1")))
        .hasMessageContaining("unknown key 'failureLimt'");
    assertThatThrownBy(() -> AnalysisSpec.parse(SPEC.replace("prometheus:\n", "datadog:\n")))
        .hasMessageContaining("unknown metric provider 'datadog' (supported: prometheus)");
    assertThatThrownBy(() -> AnalysisSpec.parse("name: x\n")).hasMessageContaining("at least one metric");
  }

  @Test
  void countDefaultsFollowArgo() throws Exception {
    String single = SPEC.replaceAll("(?m)^ *(interval|count): .*\n", "");
    assertThat(AnalysisResolver.resolve(AnalysisSpec.parse(single), Map.of("model", "m", "version", "1")).get(0)
        .effectiveCount()).isEqualTo(1);
    String background = SPEC.replaceAll("(?m)^ *count: .*\n", "");
    assertThat(AnalysisResolver.resolve(AnalysisSpec.parse(background), Map.of("model", "m", "version", "1")).get(0)
        .effectiveCount()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void goDurationsRoundTrip() throws Exception {
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThatThrownBy(() -> GoDuration.parse("30")).isInstanceOf(AnalysisSpecException.class);
    assertThatThrownBy(() -> GoDuration.parse("30s5")).isInstanceOf(AnalysisSpecException.class);
  }
}
