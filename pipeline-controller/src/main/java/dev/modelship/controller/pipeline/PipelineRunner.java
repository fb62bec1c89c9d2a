package dev.modelship.controller.pipeline;

import dev.modelship.controller.registry.ModelVersionRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pipeline run per published model version through the stages, journaling every step before and after
 * it happens. Versions of different models run in parallel; versions of one model run one at a time, and a newer
 * version supersedes an older one still waiting. A running one is not interrupted, unless the runner was made
 * with an {@code interruptible} predicate: then a newer version starts as soon as the running one is in a stage
 * the predicate accepts (its rollout), and the older one ends when the newer one replaces it in git (its rollout
 * stage reports SUPERSEDED), as Argo Rollouts replaces a canary in progress with a newer image. On start it
 * resumes every unfinished run from its first stage that has not succeeded; stages are idempotent, so nothing is
 * done twice.
 */
public final class PipelineRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

  /** Told of every journal entry, after it is on disk (UI, CLI progress, metrics). */
  public interface Listener {
    void recorded(PipelineRun run, JournalEntry entry);
  }

  private final PipelineJournal journal;
  private final List<Stage> stages;
  private final Clock clock;
  private final Listener listener;
  private final Map<String, PipelineRun> runs = new LinkedHashMap<>();
  private final Map<String, Deque<PipelineRun>> waiting = new HashMap<>();
  private final Map<String, PipelineRun> active = new HashMap<>();
  private final Map<String, ExecutorService> workers = new HashMap<>();
  private final java.util.function.Predicate<String> interruptible;
  private boolean closed;

  public PipelineRunner(PipelineJournal.Opened opened, List<Stage> stages, Clock clock, Listener listener) {
    this(opened, stages, clock, listener, stage -> false);
  }

  /**
   * @param interruptible the stages during which a run of a model gives way to a newer version of it (e.g. the
   *     rollout stages); {@code stage -> false} for none
   */
  public PipelineRunner(PipelineJournal.Opened opened, List<Stage> stages, Clock clock, Listener listener,
                        java.util.function.Predicate<String> interruptible) {
    this.journal = opened.journal();
    this.stages = List.copyOf(stages);
    this.clock = clock;
    this.listener = listener;
    this.interruptible = interruptible;
    for (PipelineRun run : PipelineRun.fold(opened.entries())) {
      runs.put(run.id(), run);
    }
  }

  public static String runId(ModelVersionRef ref) {
    return ref.name() + "-" + ref.version();
  }

  /** Resumes the unfinished runs, oldest first. */
  public synchronized void start() {
    runs.values().stream().filter(run -> !run.finished()).sorted(Comparator.comparing(PipelineRun::createdAt))
        .forEach(this::enqueue);
  }

  /** The run of a newly published version: created once per version, whatever the number of calls. */
  public synchronized PipelineRun submit(ModelVersionRef ref, String digest) throws IOException {
    String id = runId(ref);
    PipelineRun existing = runs.get(id);
    if (existing != null) {
      return existing;
    }
    PipelineRun run = new PipelineRun(id, ref, digest, clock.instant());
    runs.put(id, run);
    record(run, entry(run, JournalEntry.Type.CREATED, null, Map.of(), "published " + ref + " (" + digest + ")", null));
    enqueue(run);
    return run;
  }

  public synchronized List<PipelineRun> runs() {
    return new ArrayList<>(runs.values());
  }

  public synchronized Optional<PipelineRun> run(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  private void enqueue(PipelineRun run) {
    if (closed) {
      return;
    }
    String model = run.ref().name();
    Deque<PipelineRun> queue = waiting.computeIfAbsent(model, m -> new ArrayDeque<>());
    for (PipelineRun older : List.copyOf(queue)) {
      if (older.ref().version() < run.ref().version()) {
        queue.remove(older);
        finish(older, PipelineRun.Outcome.SUPERSEDED, "superseded by " + run.ref() + " before it started");
      }
    }
    queue.addLast(run);
    dispatch(model);
  }

  private void dispatch(String model) {
    if (closed) {
      return;
    }
    Deque<PipelineRun> queue = waiting.get(model);
    PipelineRun current = active.get(model);
    if (current != null) {
      if (queue == null || queue.isEmpty() || !interruptible(current)) {
        return;
      }
      // The running one goes on beside the newer one, until the newer one replaces it in git.
      LOG.info("run {} gives way to {} (it goes on until replaced in git)", current.id(), queue.peekFirst().id());
      active.remove(model);
    }
    PipelineRun next = queue == null ? null : queue.pollFirst();
    if (next == null) {
      return;
    }
    active.put(model, next);
    workers.computeIfAbsent(model, m -> Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "pipeline-" + m);
      thread.setDaemon(true);
      return thread;
    })).execute(() -> execute(next));
  }

  private boolean interruptible(PipelineRun run) {
    return run.stages().stream().anyMatch(stage -> "STARTED".equals(stage.status())
        && interruptible.test(stage.stage()));
  }

  private void execute(PipelineRun run) {
    try {
      for (Stage stage : stages) {
        if (run.stage(stage.name()).map(PipelineRun.StageRecord::succeeded).orElse(false)) {
          continue;
        }
        record(run, entry(run, JournalEntry.Type.STAGE_STARTED, stage.name(), Map.of(), null, null));
        if (interruptible.test(stage.name())) {
          synchronized (this) {
            dispatch(run.ref().name()); // a newer version waiting for this one may start now
          }
        }
        Stage.Result result;
        try {
          result = stage.run(run, message -> event(run, message));
        } catch (InterruptedException stopping) {
          Thread.currentThread().interrupt();
          return; // the controller is stopping: the stage stays started and is resumed next time
        } catch (Exception e) {
          String message = stage.name() + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
          record(run, entry(run, JournalEntry.Type.STAGE_FAILED, stage.name(), Map.of(), message, null));
          finish(run, PipelineRun.Outcome.FAILED, message);
          return;
        }
        record(run, entry(run, JournalEntry.Type.STAGE_SUCCEEDED, stage.name(), result.values(), result.message(),
            null));
        if (result.finish().isPresent()) {
          finish(run, result.finish().get(), result.message());
          return;
        }
      }
      finish(run, PipelineRun.Outcome.SUCCEEDED, "all stages done");
    } catch (UncheckedIOException e) {
      LOG.error("run {} stopped: the journal cannot be written ({}); it resumes after a restart", run.id(),
          e.getMessage());
    } finally {
      synchronized (this) {
        active.remove(run.ref().name(), run);
        dispatch(run.ref().name());
      }
    }
  }

  private void event(PipelineRun run, String message) {
    record(run, entry(run, JournalEntry.Type.EVENT, null, Map.of(), message, null));
  }

  private void finish(PipelineRun run, PipelineRun.Outcome outcome, String message) {
    record(run, entry(run, JournalEntry.Type.FINISHED, null, Map.of(), message, outcome));
    LOG.info("run {}: {} ({})", run.id(), outcome, message);
  }

  private JournalEntry entry(PipelineRun run, JournalEntry.Type type, String stage, Map<String, String> values,
                             String message, PipelineRun.Outcome outcome) {
    return new JournalEntry(0, clock.instant(), run.id(), type, run.ref().name(), run.ref().version(), run.digest(),
        stage, values, message, outcome);
  }

  private void record(PipelineRun run, JournalEntry entry) {
    JournalEntry written;
    try {
      written = journal.append(entry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pipeline journal " + journal.file(), e);
    }
    run.apply(written);
    listener.recorded(run, written);
  }

  /** Stops the workers (a running stage is interrupted and resumed after the next start) and the journal. */
  @Override
  public void close() throws IOException, InterruptedException {
    List<ExecutorService> running;
    synchronized (this) {
      closed = true;
      running = new ArrayList<>(workers.values());
    }
    for (ExecutorService worker : running) {
      worker.shutdownNow();
      worker.awaitTermination(30, TimeUnit.SECONDS);
    }
    journal.close();
  }
}
