package dev.modelship.serving.batching;

import dev.modelship.serving.model.TensorData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Triton-style dynamic batching for one model version: a bounded queue and worker threads that stack queued
 * requests along the batch dimension into one run, then hand each caller its own rows.
 *
 * <p>A batch is formed from whatever is queued when a worker becomes free; it waits for more only while the
 * first request is younger than {@code maxQueueDelay}. With the default delay of 0 an idle server adds no
 * latency, and under load requests pile up while the previous batch runs, so batches grow with the load.
 */
public final class DynamicBatcher implements AutoCloseable {
  private static final InferenceJob STOP = new InferenceJob(new TensorData[0], new boolean[0], 0);

  private final BatchPolicy policy;
  private final OutputGuard guard;
  private final BatchListener listener;
  private final BlockingQueue<InferenceJob> queue;
  private final AtomicInteger waiting = new AtomicInteger();
  private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
  private final ReentrantLock formation = new ReentrantLock();
  private final List<Thread> workers = new ArrayList<>();
  private InferenceJob carried; // guarded by formation: first job of the next batch
  private boolean closed; // guarded by admission

  public DynamicBatcher(String name, BatchPolicy policy, Supplier<BatchRunner> runners, OutputGuard guard,
                        BatchListener listener) {
    this.policy = policy;
    this.guard = guard;
    this.listener = listener;
    this.queue = new ArrayBlockingQueue<>(policy.maxQueueSize() + policy.instances());
    for (int i = 0; i < policy.instances(); i++) {
      BatchRunner runner = runners.get();
      Thread worker = new Thread(() -> work(runner), "batcher-" + name + "-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
  }

  public BatchPolicy policy() {
    return policy;
  }

  /** Queues a job, or refuses it at once when the queue is full or the batcher is closed. */
  public void submit(InferenceJob job) throws InferenceFailure {
    admission.readLock().lock();
    try {
      if (closed) {
        throw new InferenceFailure(InferenceFailure.Reason.SHUTTING_DOWN, "server is shutting down");
      }
      if (waiting.incrementAndGet() > policy.maxQueueSize()) {
        waiting.decrementAndGet();
        throw new InferenceFailure(InferenceFailure.Reason.QUEUE_FULL,
            "queue full: " + policy.maxQueueSize() + " requests already waiting");
      }
      job.markEnqueued(System.nanoTime());
      queue.add(job);
    } finally {
      admission.readLock().unlock();
    }
  }

  /** Jobs accepted and not yet started. */
  public int waitingJobs() {
    return waiting.get();
  }

  /** Refuses new jobs, runs every job already queued, then stops the workers. */
  @Override
  public void close() {
    admission.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      admission.writeLock().unlock();
    }
    for (int i = 0; i < workers.size(); i++) {
      putUninterruptibly(STOP);
    }
    for (Thread worker : workers) {
      joinUninterruptibly(worker);
    }
  }

  private void work(BatchRunner runner) {
    try (runner) {
      while (true) {
        List<InferenceJob> batch = nextBatch();
        if (batch.isEmpty()) {
          return;
        }
        long start = System.nanoTime();
        for (InferenceJob job : batch) {
          waiting.decrementAndGet();
          listener.jobDequeued(start - job.enqueuedAtNanos());
        }
        runAndComplete(runner, batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<InferenceJob> nextBatch() throws InterruptedException {
    formation.lock();
    try {
      InferenceJob first = carried != null ? carried : queue.take();
      carried = null;
      if (first == STOP) {
        return List.of();
      }
      List<InferenceJob> batch = new ArrayList<>();
      batch.add(first);
      if (!policy.batching()) {
        return batch;
      }
      long rows = first.rows();
      long deadline = first.enqueuedAtNanos() + policy.maxQueueDelay().toNanos();
      while (rows < policy.maxBatchRows()) {
        InferenceJob next = queue.poll();
        if (next == null) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0 || (next = queue.poll(remaining, TimeUnit.NANOSECONDS)) == null) {
            break;
          }
        }
        if (next == STOP || rows + next.rows() > policy.maxBatchRows() || !first.stacksWith(next)) {
          carried = next;
          break;
        }
        batch.add(next);
        rows += next.rows();
      }
      return batch;
    } finally {
      formation.unlock();
    }
  }

  private void runAndComplete(BatchRunner runner, List<InferenceJob> batch) {
    long start = System.nanoTime();
    long rows = batch.stream().mapToLong(InferenceJob::rows).sum();
    TensorData[][] outputs;
    try {
      outputs = runner.run(batch);
    } catch (InferenceFailure failure) {
      listener.batchRan(batch.size(), rows, System.nanoTime() - start);
      if (batch.size() == 1) {
        batch.get(0).fail(failure);
      } else {
        // One request's values can fail a whole run; rerun each alone so only that request fails.
        for (InferenceJob job : batch) {
          runAndComplete(runner, List.of(job));
        }
      }
      return;
    } catch (RuntimeException | Error fault) {
      for (InferenceJob job : batch) {
        job.fail(new InferenceFailure(InferenceFailure.Reason.SERVER_FAULT, "inference failed: " + fault, fault));
      }
      return;
    }
    listener.batchRan(batch.size(), rows, System.nanoTime() - start);
    for (int i = 0; i < batch.size(); i++) {
      Optional<String> problem = guard.check(outputs[i]);
      if (problem.isPresent()) {
        batch.get(i).fail(new InferenceFailure(InferenceFailure.Reason.NON_FINITE_OUTPUT, problem.get()));
      } else {
        batch.get(i).complete(outputs[i]);
      }
    }
  }

  private void putUninterruptibly(InferenceJob job) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(job);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
