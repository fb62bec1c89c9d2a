package dev.modelship.controller.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One line of the pipeline journal. A run is the fold of its entries: created, then per stage started and
 * succeeded or failed (with the stage's result values), events along the way, then finished with an outcome.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JournalEntry(long sequence, Instant at, String run, Type type, String model, Long version,
                           String digest, String stage, Map<String, String> values, String message,
                           PipelineRun.Outcome outcome) {

  public enum Type { CREATED, STAGE_STARTED, STAGE_SUCCEEDED, STAGE_FAILED, EVENT, FINISHED }

  public JournalEntry {
    values = values == null ? Map.of() : Map.copyOf(values);
  }
}
