package dev.modelship.controller.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HoldoutSplitTest {

  private static List<Integer> union(HoldoutSplit split) {
    List<Integer> all = new ArrayList<>();
    Arrays.stream(split.training()).forEach(all::add);
    Arrays.stream(split.holdout()).forEach(all::add);
    Collections.sort(all);
    return all;
  }

  @Test
  void holdsOutTheFractionAndKeepsEveryRowExactlyOnce() {
    HoldoutSplit split = HoldoutSplit.random(1000, 0.2, 7);

    assertThat(split.holdout()).hasSize(200).isSorted();
    assertThat(split.training()).hasSize(800).isSorted();
    assertThat(union(split)).isEqualTo(IntStream.range(0, 1000).boxed().toList());
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    assertThat(HoldoutSplit.random(500, 0.3, 1).holdout()).isEqualTo(HoldoutSplit.random(500, 0.3, 1).holdout());
    assertThat(HoldoutSplit.random(500, 0.3, 1).holdout()).isNotEqualTo(HoldoutSplit.random(500, 0.3, 2).holdout());
  }

  @Test
  void stratifiedSplitKeepsTheClassProportions() {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      labels.add(i % 10 == 0 ? "rare" : "common");
    }

    HoldoutSplit split = HoldoutSplit.stratified(labels, 0.2, 3);

    long rareHeldOut = Arrays.stream(split.holdout()).filter(i -> labels.get(i).equals("rare")).count();
    assertThat(rareHeldOut).isEqualTo(20);
    assertThat(split.holdout()).hasSize(200);
    assertThat(union(split)).hasSize(1000).doesNotHaveDuplicates();
  }

  @Test
  void aClassWithTwoRowsAppearsOnBothSides() {
    List<String> labels = new ArrayList<>(Collections.nCopies(50, "a"));
    labels.add("b");
    labels.add("b");

    HoldoutSplit split = HoldoutSplit.stratified(labels, 0.1, 9);

    assertThat(Arrays.stream(split.holdout()).filter(i -> labels.get(i).equals("b")).count()).isEqualTo(1);
    assertThat(Arrays.stream(split.training()).filter(i -> labels.get(i).equals("b")).count()).isEqualTo(1);
  }

  @Test
  void holdsOutAtLeastOneAndLeavesAtLeastOneOfTwoOrMoreRows() {
    assertThat(HoldoutSplit.heldOut(0, 0.2)).isZero();
    assertThat(HoldoutSplit.heldOut(1, 0.2)).isZero();
    assertThat(HoldoutSplit.heldOut(2, 0.01)).isEqualTo(1);
    assertThat(HoldoutSplit.heldOut(2, 0.99)).isEqualTo(1);
    assertThat(HoldoutSplit.heldOut(10, 0.25)).isEqualTo(3);
  }
}
