package dev.modelship.controller.analysis;

import dev.modelship.controller.analysis.compare.ComparativeJudge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The comparison block of a spec, resolved: the baseline's metrics, the judge's rules and settings. */
record ComparisonSetup(Map<String, ResolvedMetric> baseline, List<ComparativeJudge.MetricRule> rules,
                       ComparativeJudge.Settings settings) {

  static ComparisonSetup of(AnalysisSpec spec, Map<String, String> args) throws AnalysisSpecException {
    AnalysisSpec.Comparison comparison = spec.comparison();
    if (comparison == null) {
      return new ComparisonSetup(Map.of(), List.of(), ComparativeJudge.Settings.DEFAULTS);
    }
    Map<String, String> values = new LinkedHashMap<>(spec.defaults());
    values.putAll(args);
    java.util.Set<String> declared = new java.util.HashSet<>();
    spec.args().forEach(arg -> declared.add(arg.name()));
    Map<String, String> baselineArgs = new LinkedHashMap<>(args);
    for (Map.Entry<String, String> entry : comparison.baselineArgs().entrySet()) {
      baselineArgs.put(entry.getKey(), AnalysisResolver.substitute(entry.getValue(),
          "comparison baselineArgs." + entry.getKey(), declared, values));
    }
    Map<String, ResolvedMetric> baseline = new HashMap<>();
    for (ResolvedMetric metric : AnalysisResolver.resolve(spec, baselineArgs)) {
      baseline.put(metric.name(), metric);
    }
    List<ComparativeJudge.MetricRule> rules = new ArrayList<>();
    for (AnalysisSpec.ComparedMetric compared : comparison.metrics()) {
      if (!baseline.containsKey(compared.metric())) {
        throw new AnalysisSpecException("comparison names metric '" + compared.metric() + "', which analysis '"
            + spec.name() + "' does not have");
      }
      rules.add(new ComparativeJudge.MetricRule(compared.metric(), direction(compared),
          orDefault(compared.relativeTolerance(), 0.1), orDefault(compared.absoluteTolerance(), 0.0),
          orDefault(compared.weight(), 1.0), Boolean.TRUE.equals(compared.critical())));
    }
    ComparativeJudge.Settings defaults = ComparativeJudge.Settings.DEFAULTS;
    ComparativeJudge.Settings settings = new ComparativeJudge.Settings(orDefault(comparison.alpha(), defaults.alpha()),
        comparison.minSamples() == null ? defaults.minSamples() : comparison.minSamples(),
        orDefault(comparison.passScore(), defaults.passScore()),
        orDefault(comparison.marginalScore(), defaults.marginalScore()));
    Map<String, ResolvedMetric> compared = new HashMap<>();
    rules.forEach(rule -> compared.put(rule.metric(), baseline.get(rule.metric())));
    return new ComparisonSetup(compared, rules, settings);
  }

  private static ComparativeJudge.BadDirection direction(AnalysisSpec.ComparedMetric compared)
      throws AnalysisSpecException {
    String text = compared.badDirection() == null ? "increase" : compared.badDirection().toLowerCase(Locale.ROOT);
    switch (text) {
      case "increase": return ComparativeJudge.BadDirection.INCREASE;
      case "decrease": return ComparativeJudge.BadDirection.DECREASE;
      default:
        throw new AnalysisSpecException("comparison metric '" + compared.metric() + "': badDirection must be "
            + "increase or decrease, got '" + compared.badDirection() + "'");
    }
  }

  private static double orDefault(Double value, double fallback) {
    return value == null ? fallback : value;
  }
}
