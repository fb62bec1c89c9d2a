package dev.modelship.controller.pipeline;

import java.util.Map;
import java.util.Optional;

/**
 * One step of a pipeline run (validate, build image, release, rollout). A stage must be idempotent: run again on
 * the same run after a crash, it finds its work done (image in the registry, commit already at that digest) and
 * returns the same values.
 */
public interface Stage {
  String name();

  Result run(PipelineRun run, EventSink events) throws Exception;

  /**
   * What a stage produced: values for later stages and the journal, and, when the run ends here (rejected at
   * validation, aborted canary), its outcome.
   */
  record Result(Map<String, String> values, Optional<PipelineRun.Outcome> finish, String message) {
    public Result {
      values = Map.copyOf(values);
    }

    public static Result next(Map<String, String> values, String message) {
      return new Result(values, Optional.empty(), message);
    }

    public static Result end(PipelineRun.Outcome outcome, Map<String, String> values, String message) {
      return new Result(values, Optional.of(outcome), message);
    }
  }

  /** Where a stage reports progress (layer pushes, canary weights, analysis results). */
  interface EventSink {
    void event(String message);
  }
}
