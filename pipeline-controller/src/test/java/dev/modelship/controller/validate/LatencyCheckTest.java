package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.ModelManifest.Latency;
import dev.modelship.controller.validate.CheckResult.Status;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyCheckTest {

  @Test
  void p99IsTheNearestRankSample() {
    long[] hundred = LongStream.rangeClosed(1, 100).map(i -> i * 1_000_000).toArray();
    long[] twoHundred = LongStream.rangeClosed(1, 200).map(i -> i * 1_000_000).toArray();

    assertThat(LatencyCheck.p99Millis(hundred)).isEqualTo(99.0);
    assertThat(LatencyCheck.p99Millis(twoHundred)).isEqualTo(198.0);
    assertThat(LatencyCheck.p99Millis(new long[] {5_000_000})).isEqualTo(5.0);
  }

  @Test
  void p99DoesNotDependOnTheOrderOfTheSamples() {
    long[] shuffled = {3_000_000, 1_000_000, 250_000_000, 2_000_000};

    assertThat(LatencyCheck.p99Millis(shuffled)).isEqualTo(250.0);
    assertThat(shuffled[0]).isEqualTo(3_000_000);
  }

  @Test
  void refusesToTakeAPercentileOfNothing() {
    assertThatThrownBy(() -> LatencyCheck.p99Millis(new long[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void skipsWithoutABudget() {
    assertThat(LatencyCheck.judge(null, 1.0, OptionalDouble.empty(), 10)).singleElement()
        .extracting(CheckResult::status).isEqualTo(Status.SKIPPED);
    assertThat(LatencyCheck.hasBudget(new Latency(null, null))).isFalse();
  }

  @Test
  void rejectsAP99AboveTheBudgetNamingBoth() {
    CheckResult result = LatencyCheck.judge(new Latency(5.0, null), 7.25, OptionalDouble.empty(), 200).get(0);

    assertThat(result.check()).isEqualTo("latency.p99_ms");
    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.measured()).isEqualTo(7.25);
    assertThat(result.threshold()).isEqualTo(5.0);
    assertThat(result.message()).contains("7.250 ms > p99_ms_max 5").contains("200 runs");
  }

  @Test
  void passesAP99WithinTheBudget() {
    assertThat(LatencyCheck.judge(new Latency(5.0, null), 0.4, OptionalDouble.empty(), 200).get(0).status())
        .isEqualTo(Status.PASSED);
  }

  @Test
  void judgesTheRatioToTheChampionsP99() {
    List<CheckResult> slower = LatencyCheck.judge(new Latency(null, 1.5), 2.0, OptionalDouble.of(1.0), 50);
    List<CheckResult> similar = LatencyCheck.judge(new Latency(null, 1.5), 1.2, OptionalDouble.of(1.0), 50);

    assertThat(slower).singleElement().satisfies(r -> {
      assertThat(r.check()).isEqualTo("latency.ratio_to_champion");
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.measured()).isEqualTo(2.0);
      assertThat(r.threshold()).isEqualTo(1.5);
    });
    assertThat(similar.get(0).status()).isEqualTo(Status.PASSED);
  }

  @Test
  void skipsTheRatioWithoutAChampionButStillJudgesTheAbsoluteBudget() {
    List<CheckResult> results = LatencyCheck.judge(new Latency(5.0, 1.5), 1.0, OptionalDouble.empty(), 50);

    assertThat(results).extracting(CheckResult::status).containsExactly(Status.PASSED, Status.SKIPPED);
  }
}
