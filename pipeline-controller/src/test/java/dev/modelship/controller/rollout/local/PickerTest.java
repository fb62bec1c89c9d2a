package dev.modelship.controller.rollout.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PickerTest {
  private static final Backend STABLE = new Backend("stable", URI.create("http://127.0.0.1:1"));
  private static final Backend CANARY_A = new Backend("canary-a", URI.create("http://127.0.0.1:2"));
  private static final Backend CANARY_B = new Backend("canary-b", URI.create("http://127.0.0.1:3"));

  @Test
  void sendsTheWeightsShareToTheCanaryOverManyRequests() {
    WeightedRouter.Picker picker = new WeightedRouter.Picker(new Random(1));
    TrafficSplit split = new TrafficSplit(List.of(STABLE), List.of(CANARY_A, CANARY_B), 20);
    int canary = 0;
    int a = 0;
    for (int i = 0; i < 100_000; i++) {
      Backend picked = picker.pick(split);
      if (picked != STABLE) {
        canary++;
        a += picked == CANARY_A ? 1 : 0;
      }
    }
    assertThat(canary).isBetween(19_400, 20_600);
    assertThat(a).isBetween(canary / 2 - 1, canary / 2 + 1); // round-robin within the canary group
  }

  /**
   * The regression behind the random picker: a deterministic every-fifth-request rotation at 20% met a client that
   * sends a special request every tenth time, and not one special request reached the canary.
   */
  @Test
  void aPeriodicTrafficPatternStillReachesTheCanaryInProportion() {
    WeightedRouter.Picker picker = new WeightedRouter.Picker(new Random(7));
    TrafficSplit split = new TrafficSplit(List.of(STABLE), List.of(CANARY_A), 20);
    int special = 0;
    int specialOnCanary = 0;
    for (int i = 0; i < 20_000; i++) {
      Backend picked = picker.pick(split);
      if (i % 10 == 0) {
        special++;
        specialOnCanary += picked == CANARY_A ? 1 : 0;
      }
    }
    assertThat(specialOnCanary).isBetween((int) (special * 0.16), (int) (special * 0.24));
  }

  @Test
  void weightZeroAndOneHundredAndEmptyGroups() {
    WeightedRouter.Picker picker = new WeightedRouter.Picker(new Random(3));
    for (int i = 0; i < 1000; i++) {
      assertThat(picker.pick(new TrafficSplit(List.of(STABLE), List.of(CANARY_A), 0))).isSameAs(STABLE);
      assertThat(picker.pick(new TrafficSplit(List.of(STABLE), List.of(CANARY_A), 100))).isSameAs(CANARY_A);
      assertThat(picker.pick(new TrafficSplit(List.of(), List.of(CANARY_A), 10))).isSameAs(CANARY_A);
      assertThat(picker.pick(new TrafficSplit(List.of(STABLE), List.of(), 50))).isSameAs(STABLE);
    }
    assertThat(picker.pick(new TrafficSplit(List.of(), List.of(), 50))).isNull();
  }
}
