package dev.modelship.controller.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickDataTest {
  @TempDir
  Path dir;

  @Test
  void sameSeedGivesIdenticalRowsAndIdenticalCsv() throws IOException {
    ClickData.writeCsv(dir.resolve("a.csv"), ClickData.generate(7, 500, 0.3));
    ClickData.writeCsv(dir.resolve("b.csv"), ClickData.generate(7, 500, 0.3));

    assertThat(ClickData.generate(7, 500, 0.3)).isEqualTo(ClickData.generate(7, 500, 0.3));
    assertThat(Files.readAllBytes(dir.resolve("a.csv"))).isEqualTo(Files.readAllBytes(dir.resolve("b.csv")));
  }

  @Test
  void differentSeedsGiveDifferentRows() {
    assertThat(ClickData.generate(1, 100, 0)).isNotEqualTo(ClickData.generate(2, 100, 0));
    assertThat(ClickData.holdout(1, 100)).isNotEqualTo(ClickData.generate(1, 100, 0));
  }

  @Test
  void csvHasAHeaderAndOneLinePerRowLabelledZeroOrOne() throws IOException {
    Path file = dir.resolve("nested/clicks.csv");
    ClickData.writeCsv(file, ClickData.generate(3, 200, 0));

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(201);
    assertThat(lines.get(0)).isEqualTo("user_age,user_sessions_7d,user_ctr_30d,item_price,item_discount,"
        + "item_popularity,position,hour_of_day,clicked");
    assertThat(lines.subList(1, lines.size())).allSatisfy(line -> {
      String[] cells = line.split(",", -1);
      assertThat(cells).hasSize(9);
      assertThat(cells[8]).isIn("0", "1");
      for (int i = 0; i < 8; i++) {
        assertThat(cells[i]).matches("[0-9]+(\\.[0-9]+)?");
      }
    });
    assertThat(lines.subList(1, lines.size())).anyMatch(line -> line.endsWith(",1"))
        .anyMatch(line -> line.endsWith(",0"));
  }

  @Test
  void featuresStayInPlausibleRanges() {
    for (double drift : new double[] {0, 1}) {
      assertThat(ClickData.generate(11, 5000, drift)).allSatisfy(row -> {
        assertThat(row.userAge()).isBetween(18.0, 80.0);
        assertThat(row.userSessions7d()).isBetween(0.0, 60.0);
        assertThat(row.userCtr30d()).isBetween(0.0, 0.5);
        assertThat(row.itemPrice()).isBetween(1.0, 2000.0);
        assertThat(row.itemDiscount()).isBetween(0.0, 0.5);
        assertThat(row.itemPopularity()).isBetween(0.0, 1.0);
        assertThat(row.position()).isBetween(1.0, 30.0);
        assertThat(row.hourOfDay()).isBetween(0.0, 23.0);
        assertThat(row.hourOfDay() % 1).isZero();
      });
    }
  }

  @Test
  void clicksAreAMinorityButCommonEnoughToLearnFrom() {
    double clickRate = share(ClickData.generate(5, 10_000, 0), ClickData.Row::clicked);

    assertThat(clickRate).isBetween(0.2, 0.45);
  }

  @Test
  void driftShiftsTheFeatureDistributions() {
    List<ClickData.Row> before = ClickData.generate(9, 10_000, 0);
    List<ClickData.Row> after = ClickData.generate(9, 10_000, 1);

    assertThat(mean(after, ClickData.Row::userAge)).isLessThan(mean(before, ClickData.Row::userAge) - 5);
    assertThat(mean(after, ClickData.Row::itemPrice)).isGreaterThan(mean(before, ClickData.Row::itemPrice) * 1.5);
    assertThat(mean(after, ClickData.Row::userSessions7d))
        .isGreaterThan(mean(before, ClickData.Row::userSessions7d) * 1.5);
    assertThat(share(after, row -> row.itemDiscount() > 0))
        .isGreaterThan(share(before, row -> row.itemDiscount() > 0) + 0.2);
  }

  @Test
  void driftChangesWhatDrivesClicks() {
    double liftBefore = popularityLift(ClickData.generate(9, 20_000, 0));
    double liftAfter = popularityLift(ClickData.generate(9, 20_000, 1));

    assertThat(liftBefore).isGreaterThan(0.15);
    assertThat(liftAfter).isLessThan(liftBefore / 2);
  }

  @Test
  void rejectsDriftOutsideZeroToOneAndNegativeRowCounts() {
    assertThatThrownBy(() -> ClickData.generate(1, 10, 1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("drift");
    assertThatThrownBy(() -> ClickData.generate(1, 10, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClickData.generate(1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void looksFeaturesUpByName() {
    ClickData.Row row = new ClickData.Row(30, 2, 0.05, 19.99, 0.1, 0.7, 3, 21, true);

    assertThat(row.feature("item_price")).isEqualTo(19.99);
    assertThat(row.features()).containsExactly(30, 2, 0.05, 19.99, 0.1, 0.7, 3, 21);
    assertThatThrownBy(() -> row.feature("price")).hasMessageContaining("item_price");
  }

  /** Click rate on items of above-median popularity minus that on the rest. */
  private static double popularityLift(List<ClickData.Row> rows) {
    List<ClickData.Row> popular = rows.stream().filter(row -> row.itemPopularity() > 0.5).toList();
    List<ClickData.Row> rest = rows.stream().filter(row -> row.itemPopularity() <= 0.5).toList();
    return share(popular, ClickData.Row::clicked) - share(rest, ClickData.Row::clicked);
  }

  private static double mean(List<ClickData.Row> rows, ToDoubleFunction<ClickData.Row> feature) {
    return rows.stream().mapToDouble(feature).average().orElseThrow();
  }

  private static double share(List<ClickData.Row> rows, Predicate<ClickData.Row> condition) {
    return rows.stream().filter(condition).count() / (double) rows.size();
  }
}
