package dev.modelship.controller.pipeline;

import dev.modelship.controller.registry.ModelVersionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model version's way through the pipeline, as the journal tells it: stages with their results and timings,
 * events, and the outcome once finished. Built by folding journal entries, so a restarted controller knows
 * exactly where every run stood.
 */
public final class PipelineRun {
  /** How a run ended. */
  public enum Outcome { SUCCEEDED, REJECTED, ABORTED, FAILED, SUPERSEDED }

  /** One stage of the run as recorded. */
  public record StageRecord(String stage, String status, Instant startedAt, Instant finishedAt,
                            Map<String, String> values, String message) {
    public StageRecord {
      values = Map.copyOf(values);
    }

    public boolean succeeded() {
      return "SUCCEEDED".equals(status);
    }
  }

  private final String id;
  private final ModelVersionRef ref;
  private final String digest;
  private final Instant createdAt;
  private final Map<String, StageRecord> stages = new LinkedHashMap<>();
  private final List<String> events = new ArrayList<>();
  private Outcome outcome;
  private String outcomeMessage;
  private Instant finishedAt;

  PipelineRun(String id, ModelVersionRef ref, String digest, Instant createdAt) {
    this.id = id;
    this.ref = ref;
    this.digest = digest;
    this.createdAt = createdAt;
  }

  /** Replays the journal into runs, oldest first. */
  public static List<PipelineRun> fold(List<JournalEntry> entries) {
    Map<String, PipelineRun> runs = new LinkedHashMap<>();
    for (JournalEntry entry : entries) {
      if (entry.type() == JournalEntry.Type.CREATED) {
        runs.put(entry.run(), new PipelineRun(entry.run(), new ModelVersionRef(entry.model(), entry.version()),
            entry.digest(), entry.at()));
      } else {
        PipelineRun run = runs.get(entry.run());
        if (run != null) {
          run.apply(entry);
        }
      }
    }
    return new ArrayList<>(runs.values());
  }

  synchronized void apply(JournalEntry entry) {
    switch (entry.type()) {
      case STAGE_STARTED:
        stages.put(entry.stage(), new StageRecord(entry.stage(), "STARTED", entry.at(), null, Map.of(), null));
        break;
      case STAGE_SUCCEEDED:
      case STAGE_FAILED: {
        StageRecord started = stages.get(entry.stage());
        stages.put(entry.stage(), new StageRecord(entry.stage(), entry.type() == JournalEntry.Type.STAGE_SUCCEEDED
            ? "SUCCEEDED" : "FAILED", started == null ? entry.at() : started.startedAt(), entry.at(), entry.values(),
            entry.message()));
        break;
      }
      case EVENT:
        events.add(entry.at() + " " + entry.message());
        break;
      case FINISHED:
        outcome = entry.outcome();
        outcomeMessage = entry.message();
        finishedAt = entry.at();
        break;
      default:
        break;
    }
  }

  public String id() {
    return id;
  }

  public ModelVersionRef ref() {
    return ref;
  }

  public String digest() {
    return digest;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public synchronized boolean finished() {
    return outcome != null;
  }

  public synchronized Optional<Outcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  public synchronized String outcomeMessage() {
    return outcomeMessage;
  }

  public synchronized Optional<Instant> finishedAt() {
    return Optional.ofNullable(finishedAt);
  }

  public synchronized Collection<StageRecord> stages() {
    return List.copyOf(stages.values());
  }

  public synchronized Optional<StageRecord> stage(String name) {
    return Optional.ofNullable(stages.get(name));
  }

  /** A value a succeeded stage recorded (an image digest, a commit), for later stages. */
  public synchronized Optional<String> value(String stage, String key) {
    StageRecord record = stages.get(stage);
    return record == null || !record.succeeded() ? Optional.empty() : Optional.ofNullable(record.values().get(key));
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }
}
