package dev.modelship.controller.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which rows train and which are held out, drawn with a seed so the same data and seed always give the same
 * split. Both lists are in row order.
 */
public record HoldoutSplit(int[] training, int[] holdout) {

  /** A plain random split: {@code fraction} of the rows (rounded, at least one of two or more) held out. */
  public static HoldoutSplit random(int rows, double fraction, long seed) {
    List<Integer> all = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      all.add(i);
    }
    return split(List.of(all), fraction, new Random(seed));
  }

  /**
   * Each class split on its own (its share rounded per class), so the holdout has the classes in the data's
   * proportions and every class with two or more rows appears on both sides: a rare class cannot vanish from
   * the holdout by chance.
   */
  public static HoldoutSplit stratified(List<String> labels, double fraction, long seed) {
    Map<String, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byClass.computeIfAbsent(labels.get(i), label -> new ArrayList<>()).add(i);
    }
    return split(List.copyOf(byClass.values()), fraction, new Random(seed));
  }

  private static HoldoutSplit split(List<List<Integer>> groups, double fraction, Random random) {
    List<Integer> training = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    for (List<Integer> group : groups) {
      List<Integer> shuffled = new ArrayList<>(group);
      Collections.shuffle(shuffled, random);
      int held = heldOut(shuffled.size(), fraction);
      holdout.addAll(shuffled.subList(0, held));
      training.addAll(shuffled.subList(held, shuffled.size()));
    }
    return new HoldoutSplit(sorted(training), sorted(holdout));
  }

  static int heldOut(int rows, double fraction) {
    if (rows < 2) {
      return 0;
    }
    return (int) Math.max(1, Math.min(rows - 1, Math.round(rows * fraction)));
  }

  private static int[] sorted(List<Integer> rows) {
    int[] array = rows.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(array);
    return array;
  }
}
