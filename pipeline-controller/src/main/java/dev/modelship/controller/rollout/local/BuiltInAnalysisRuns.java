package dev.modelship.controller.rollout.local;

import dev.modelship.controller.analysis.AnalysisRun;
import dev.modelship.controller.analysis.AnalysisSpec;
import dev.modelship.controller.analysis.AnalysisSpecException;
import dev.modelship.controller.analysis.BuiltInAnalyses;
import dev.modelship.controller.analysis.provider.MetricProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The local engine's analysis templates: the built-in ones the GitOps repository's {@code rollouts/analysis}
 * installs as ClusterAnalysisTemplates ({@code modelship-error-rate}, {@code modelship-latency-p99}) and
 * {@code modelship-canary}. Several templates in one step are merged into one run, as Argo merges them into one
 * AnalysisRun. When a step runs both built-in metrics and the stable's version is known and differs from the
 * canary's, the run is the canary analysis: the same thresholds plus the canary-vs-stable comparison
 * (docs/analysis.md). Any other template name is an error naming it: the local engine has no cluster to read it
 * from.
 */
public final class BuiltInAnalysisRuns implements AnalysisRunFactory {
  private final MetricProvider provider;
  private final Clock clock;

  public BuiltInAnalysisRuns(MetricProvider provider, Clock clock) {
    this.provider = provider;
    this.clock = clock;
  }

  @Override
  public AnalysisRun create(String id, List<String> templates, Map<String, String> args)
      throws AnalysisSpecException {
    AnalysisSpec spec = spec(templates, args);
    Map<String, String> given = new LinkedHashMap<>(args);
    if (spec.args().stream().noneMatch(arg -> arg.name().equals(LocalRollout.STABLE_VERSION_ARG))) {
      given.remove(LocalRollout.STABLE_VERSION_ARG);
    }
    return new AnalysisRun(id, spec, given, provider, clock);
  }

  /** The spec a step with these templates runs. */
  static AnalysisSpec spec(List<String> templates, Map<String, String> args) throws AnalysisSpecException {
    Set<String> names = new LinkedHashSet<>(templates);
    for (String name : names) {
      if (!List.of(BuiltInAnalyses.ERROR_RATE, BuiltInAnalyses.LATENCY_P99, BuiltInAnalyses.CANARY).contains(name)) {
        throw new AnalysisSpecException("analysis template '" + name + "' is not one the local engine runs: it runs "
            + "the built-in templates " + BuiltInAnalyses.ERROR_RATE + ", " + BuiltInAnalyses.LATENCY_P99 + " and "
            + BuiltInAnalyses.CANARY + "; other templates need Argo Rollouts in a cluster");
      }
    }
    String stable = args.get(LocalRollout.STABLE_VERSION_ARG);
    boolean comparable = stable != null && !stable.isBlank() && !Objects.equals(stable, args.get("version"));
    if (names.contains(BuiltInAnalyses.CANARY)
        || names.containsAll(List.of(BuiltInAnalyses.ERROR_RATE, BuiltInAnalyses.LATENCY_P99)) && comparable) {
      return BuiltInAnalyses.canary();
    }
    if (names.size() == 1) {
      return BuiltInAnalyses.byName(names.iterator().next());
    }
    Map<String, AnalysisSpec.Arg> mergedArgs = new LinkedHashMap<>();
    List<AnalysisSpec.Metric> metrics = new ArrayList<>();
    for (String name : names) {
      AnalysisSpec spec = BuiltInAnalyses.byName(name);
      spec.args().forEach(arg -> mergedArgs.putIfAbsent(arg.name(), arg));
      metrics.addAll(spec.metrics());
    }
    return new AnalysisSpec(String.join("+", names), List.copyOf(mergedArgs.values()), metrics, null);
  }
}
