package dev.modelship.serving.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.modelship.serving.model.Datatype;
import dev.modelship.serving.model.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
  private final List<List<Long>> batchRows = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch gate = new CountDownLatch(1);
  private final CountDownLatch firstRunStarted = new CountDownLatch(1);
  private DynamicBatcher batcher;

  @AfterEach
  void close() {
    gate.countDown();
    if (batcher != null) {
      batcher.close();
    }
  }

  /** Echoes each job's input as its output (after multiplying by 10), waiting at the gate on the first run. */
  private final class EchoRunner implements BatchRunner {
    private boolean first = true;

    @Override
    public TensorData[][] run(List<InferenceJob> jobs) throws InferenceFailure {
      if (first) {
        first = false;
        firstRunStarted.countDown();
        awaitGate();
      }
      batchRows.add(jobs.stream().map(InferenceJob::rows).toList());
      TensorData[][] outputs = new TensorData[jobs.size()][];
      for (int j = 0; j < jobs.size(); j++) {
        TensorData in = jobs.get(j).input(0);
        ByteBuffer out = ByteBuffer.allocate(in.values().remaining()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < in.elementCount(); i++) {
          float value = in.values().getFloat(i * 4);
          if (value < 0) {
            throw new InferenceFailure(InferenceFailure.Reason.INVALID_INPUT, "negative input " + value);
          }
          out.putFloat(i * 4, value * 10);
        }
        outputs[j] = new TensorData[] {new TensorData(Datatype.FP32, in.shape(), out)};
      }
      return outputs;
    }

    private void awaitGate() {
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private DynamicBatcher batcher(int maxRows, Duration delay, int queueSize) {
    batcher = new DynamicBatcher("test", new BatchPolicy(maxRows, delay, queueSize, 1), EchoRunner::new,
        new OutputGuard(false, new String[] {"y"}), BatchListener.NONE);
    return batcher;
  }

  private static InferenceJob job(float... rowValues) {
    return jobWithWidth(1, rowValues);
  }

  private static InferenceJob jobWithWidth(int width, float... values) {
    ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.nativeOrder());
    for (float value : values) {
      data.putFloat(value);
    }
    data.flip();
    long rows = values.length / width;
    return new InferenceJob(new TensorData[] {new TensorData(Datatype.FP32, new long[] {rows, width}, data)},
        new boolean[] {true}, rows);
  }

  private static float[] values(TensorData[] outputs) {
    TensorData out = outputs[0];
    float[] values = new float[(int) out.elementCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = out.values().getFloat(i * 4);
    }
    return values;
  }

  @Test
  void stacksRequestsThatQueuedWhileTheModelWasBusyIntoOneRunAndReturnsEachCallerItsRows() throws Exception {
    batcher(64, Duration.ZERO, 100);
    InferenceJob blocker = job(0);
    batcher.submit(blocker);
    firstRunStarted.await(5, TimeUnit.SECONDS);
    List<InferenceJob> queued = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      InferenceJob job = job(i, i + 0.5f);
      queued.add(job);
      batcher.submit(job);
    }
    gate.countDown();
    for (int i = 1; i <= 5; i++) {
      assertThat(values(queued.get(i - 1).await())).containsExactly(i * 10f, (i + 0.5f) * 10f);
    }
    assertThat(batchRows).containsExactly(List.of(1L), List.of(2L, 2L, 2L, 2L, 2L));
  }

  @Test
  void neverPutsMoreRowsInARunThanMaxBatchSize() throws Exception {
    batcher(4, Duration.ZERO, 100);
    batcher.submit(job(0));
    firstRunStarted.await(5, TimeUnit.SECONDS);
    List<InferenceJob> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      InferenceJob job = job(1, 2, 3);
      queued.add(job);
      batcher.submit(job);
    }
    gate.countDown();
    for (InferenceJob job : queued) {
      job.await();
    }
    assertThat(batchRows).allSatisfy(rows -> assertThat(rows.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(4));
    assertThat(batchRows).hasSize(6);
  }

  @Test
  void rejectsAtOnceWhenTheQueueIsFull() throws Exception {
    batcher(64, Duration.ZERO, 2);
    batcher.submit(job(0));
    firstRunStarted.await(5, TimeUnit.SECONDS);
    batcher.submit(job(1));
    batcher.submit(job(2));
    assertThatThrownBy(() -> batcher.submit(job(3)))
        .isInstanceOfSatisfying(InferenceFailure.class,
            failure -> assertThat(failure.reason()).isEqualTo(InferenceFailure.Reason.QUEUE_FULL))
        .hasMessageContaining("queue full");
    assertThat(batcher.waitingJobs()).isEqualTo(2);
  }

  @Test
  void stacksOnlyRequestsWithTheSameInnerDimensionsAndKeepsArrivalOrder() throws Exception {
    batcher(64, Duration.ZERO, 100);
    batcher.submit(job(0));
    firstRunStarted.await(5, TimeUnit.SECONDS);
    InferenceJob narrow = jobWithWidth(1, 1);
    InferenceJob narrowToo = jobWithWidth(1, 2);
    InferenceJob wide = jobWithWidth(2, 1, 2);
    InferenceJob wideToo = jobWithWidth(2, 3, 4, 5, 6);
    for (InferenceJob job : List.of(narrow, narrowToo, wide, wideToo)) {
      batcher.submit(job);
    }
    gate.countDown();
    assertThat(values(narrow.await())).containsExactly(10f);
    assertThat(values(narrowToo.await())).containsExactly(20f);
    assertThat(values(wide.await())).containsExactly(10f, 20f);
    assertThat(values(wideToo.await())).containsExactly(30f, 40f, 50f, 60f);
    assertThat(batchRows).containsExactly(List.of(1L), List.of(1L, 1L), List.of(1L, 2L));
  }

  @Test
  void runsUnbatchedModelsOneRequestAtATime() throws Exception {
    batcher(0, Duration.ZERO, 100);
    batcher.submit(job(0));
    firstRunStarted.await(5, TimeUnit.SECONDS);
    InferenceJob a = job(1);
    InferenceJob b = job(2);
    batcher.submit(a);
    batcher.submit(b);
    gate.countDown();
    a.await();
    b.await();
    assertThat(batchRows).containsExactly(List.of(1L), List.of(1L), List.of(1L));
  }

  @Test
  void waitsUpToTheQueueDelayForMoreRequests() throws Exception {
    gate.countDown();
    batcher(64, Duration.ofSeconds(1), 100);
    InferenceJob first = job(1);
    batcher.submit(first);
    InferenceJob second = job(2);
    batcher.submit(second);
    InferenceJob third = job(3);
    batcher.submit(third);
    // 64 rows never arrive, so the batch runs when the first request's 1 s delay is over.
    assertThat(values(third.await())).containsExactly(30f);
    assertThat(batchRows).containsExactly(List.of(1L, 1L, 1L));
  }

  @Test
  void aRequestThatFailsTheRunFailsAloneAndTheOthersInItsBatchSucceed() throws Exception {
    batcher(64, Duration.ZERO, 100);
    batcher.submit(job(0));
    firstRunStarted.await(5, TimeUnit.SECONDS);
    InferenceJob good = job(1);
    InferenceJob bad = job(-1);
    InferenceJob alsoGood = job(2);
    batcher.submit(good);
    batcher.submit(bad);
    batcher.submit(alsoGood);
    gate.countDown();
    assertThat(values(good.await())).containsExactly(10f);
    assertThat(values(alsoGood.await())).containsExactly(20f);
    assertThatThrownBy(bad::await).isInstanceOfSatisfying(InferenceFailure.class,
        failure -> assertThat(failure.reason()).isEqualTo(InferenceFailure.Reason.INVALID_INPUT));
  }

  @Test
  void failsOnlyTheRequestWhoseOutputIsNotFinite() throws Exception {
    gate.countDown();
    batcher(64, Duration.ZERO, 100);
    InferenceJob infinite = job(Float.MAX_VALUE);
    batcher.submit(infinite);
    InferenceJob fine = job(1);
    batcher.submit(fine);
    assertThatThrownBy(infinite::await).isInstanceOfSatisfying(InferenceFailure.class,
        failure -> assertThat(failure.reason()).isEqualTo(InferenceFailure.Reason.NON_FINITE_OUTPUT))
        .hasMessageContaining("non-finite output: 'y' element 0 is Infinity");
    assertThat(values(fine.await())).containsExactly(10f);
  }

  @Test
  void closeRunsEveryQueuedRequestThenRefusesNewOnes() throws Exception {
    batcher(2, Duration.ZERO, 100);
    batcher.submit(job(0));
    firstRunStarted.await(5, TimeUnit.SECONDS);
    List<InferenceJob> queued = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      InferenceJob job = job(i);
      queued.add(job);
      batcher.submit(job);
    }
    Thread closer = new Thread(batcher::close);
    closer.start();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThatThrownBy(() -> batcher.submit(job(9))).isInstanceOfSatisfying(InferenceFailure.class,
            failure -> assertThat(failure.reason()).isEqualTo(InferenceFailure.Reason.SHUTTING_DOWN)));
    gate.countDown();
    closer.join(5000);
    assertThat(closer.isAlive()).isFalse();
    for (int i = 0; i < queued.size(); i++) {
      assertThat(values(queued.get(i).await())).containsExactly(i * 10f);
    }
  }
}
