package dev.modelship.controller.gitops;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next push attempt after losing a race: an exponential bound with jitter (half the
 * bound plus a random part of the other half), so writers that collided do not collide again in step; bounded in
 * attempts and in wait.
 */
public record Backoff(int maxAttempts, Duration base, Duration cap, RandomGenerator random) {

  public Backoff {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap");
    }
  }

  /** Up to 12 attempts; the bound starts at 50 ms and doubles up to 2 s: at most about 15 s of waiting in all. */
  public static Backoff standard() {
    return new Backoff(12, Duration.ofMillis(50), Duration.ofSeconds(2), RandomGenerator.getDefault());
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  public Duration delay(int attempt) {
    long bound = base.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(bound, cap.toMillis());
    return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
  }
}
