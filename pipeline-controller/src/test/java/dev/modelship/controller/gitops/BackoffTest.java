package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(12, Duration.ofMillis(50), Duration.ofSeconds(2), new Random(7));

  @Test
  void waitsBetweenHalfAndAllOfADoublingBound() {
    for (int attempt = 1; attempt <= 12; attempt++) {
      long bound = Math.min(50L << (attempt - 1), 2000);
      for (int draw = 0; draw < 50; draw++) {
        assertThat(backoff.delay(attempt).toMillis()).isBetween(bound / 2, bound);
      }
    }
  }

  @Test
  void jittersSoCollidingWritersDoNotRetryInStep() {
    assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> backoff.delay(6)).distinct().count())
        .isGreaterThan(10);
  }

  @Test
  void refusesUnboundedOrEmptySettings() {
    assertThatThrownBy(() -> new Backoff(0, Duration.ofMillis(1), Duration.ofMillis(2), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(3, Duration.ofMillis(5), Duration.ofMillis(2), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
