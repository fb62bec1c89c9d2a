package dev.modelship.controller.pipeline.stages;

import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.validate.CheckResult;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.ValidationGate;
import dev.modelship.controller.validate.ValidationOptions;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The validation gate on the run's version, against the champion (the version the environment serves now). The
 * report is filed in the validation store, so the gate runs once per version: a resumed run finds the report
 * and does not measure again. A rejection ends the run naming every failed check with its measured value and
 * threshold; a gate that could not vouch for the version (a check that could not run) fails the run.
 */
public final class ValidateStage implements Stage {
  public static final String NAME = "validate";

  /** The version the environment serves now, if any: the champion a new version must not be worse than. */
  @FunctionalInterface
  public interface ChampionFinder {
    Optional<ModelVersionRef> champion(String model) throws Exception;
  }

  private final Packages packages;
  private final ValidationGate gate;
  private final ValidationStore store;
  private final ChampionFinder champions;

  public ValidateStage(Packages packages, ValidationGate gate, ValidationStore store, ChampionFinder champions) {
    this.packages = packages;
    this.gate = gate;
    this.store = store;
    this.champions = champions;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result run(PipelineRun run, EventSink events) throws Exception {
    ModelVersionRef ref = run.ref();
    Optional<ValidationReport> filed = store.find(ref);
    ValidationReport report;
    if (filed.isPresent() && run.digest().equals(filed.get().digest())) {
      report = filed.get();
      events.event("validation report of " + ref + " already filed: " + report.outcome());
    } else {
      Optional<ModelVersionRef> champion = champions.champion(ref.name()).filter(c -> !c.equals(ref));
      events.event("validating " + ref + champion.map(c -> " against champion " + c).orElse(" (no champion yet)"));
      ModelPackage challenger = packages.fetch(ref);
      Optional<ModelPackage> championPackage = champion.isPresent() ? Optional.of(packages.fetch(champion.get()))
          : Optional.empty();
      report = gate.validate(challenger, championPackage,
          ValidationOptions.defaults().withExpectedDigest(run.digest()));
      if (champion.isPresent()) {
        report = report.withChampion(champion.get().toString());
      }
      store.save(ref, report);
    }
    Map<String, String> values = Map.of("outcome", report.outcome().name(),
        "champion", report.champion() == null ? "" : report.champion());
    if (report.outcome() == Outcome.PASSED) {
      return Result.next(values, "passed " + report.checks().size() + " checks"
          + (report.champion() == null ? "" : " against " + report.champion()));
    }
    String failed = report.checks().stream().filter(check -> check.status() != CheckResult.Status.PASSED
            && check.status() != CheckResult.Status.SKIPPED).map(CheckResult::summaryLine).map(String::strip)
        .collect(Collectors.joining("; "));
    if (report.outcome() == Outcome.REJECTED) {
      return Result.end(PipelineRun.Outcome.REJECTED, values, "rejected by the validation gate: " + failed);
    }
    throw new IllegalStateException("the validation gate could not vouch for " + ref + ": " + failed);
  }
}
