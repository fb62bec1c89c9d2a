package dev.modelship.controller.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic e-commerce click data: one row per (user, item) impression, with user and item features and
 * whether the user clicked. Clicks are drawn from a hidden logistic ground truth (partly non-linear in the
 * features, plus noise), so a logistic regression learns something real without being able to learn it
 * perfectly. The same seed always gives the same rows.
 *
 * <p>{@code drift} (0 = none, 1 = strong) models the world moving on: younger users, pricier items, more
 * discounts, more late-night traffic, and users who care more about price and less about popularity.
 */
public final class ClickData {
  /** Feature columns, in CSV order. */
  public static final List<String> FEATURES = List.of("user_age", "user_sessions_7d", "user_ctr_30d",
      "item_price", "item_discount", "item_popularity", "position", "hour_of_day");
  public static final String LABEL = "clicked";

  /** One impression; values are rounded as a feature store would serve them. */
  public record Row(double userAge, double userSessions7d, double userCtr30d, double itemPrice,
                    double itemDiscount, double itemPopularity, double position, double hourOfDay,
                    boolean clicked) {

    /** The feature values in {@link #FEATURES} order. */
    public double[] features() {
      return new double[] {userAge, userSessions7d, userCtr30d, itemPrice, itemDiscount, itemPopularity, position,
          hourOfDay};
    }

    public double feature(String name) {
      int index = FEATURES.indexOf(name);
      if (index < 0) {
        throw new IllegalArgumentException("no feature '" + name + "' (features: " + FEATURES + ")");
      }
      return features()[index];
    }
  }

  /** Weights of the hidden ground truth; drift moves them from {@link #BASELINE} towards {@link #DRIFTED}. */
  private record Truth(double intercept, double ctr, double sessions, double price, double discount,
                       double popularity, double position, double lateNight, double age) {

    Truth towards(Truth other, double amount) {
      return new Truth(mix(intercept, other.intercept, amount), mix(ctr, other.ctr, amount),
          mix(sessions, other.sessions, amount), mix(price, other.price, amount),
          mix(discount, other.discount, amount), mix(popularity, other.popularity, amount),
          mix(position, other.position, amount), mix(lateNight, other.lateNight, amount),
          mix(age, other.age, amount));
    }
  }

  private static final Truth BASELINE = new Truth(-0.2, 0.9, 0.45, 0.9, 2.5, 1.2, 0.9, 0.4, -0.25);
  private static final Truth DRIFTED = new Truth(-0.6, 0.4, 0.2, 1.8, 4.5, 0.2, 0.6, 0.9, 0.3);
  /** Standard deviation of the noise added to the ground-truth logit: what no feature explains. */
  private static final double LOGIT_NOISE = 0.5;

  private ClickData() {
  }

  /** {@code rows} impressions drawn with {@code seed}; {@code drift} between 0 and 1. */
  public static List<Row> generate(long seed, int rows, double drift) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be 0 or more, got " + rows);
    }
    if (!(drift >= 0 && drift <= 1)) {
      throw new IllegalArgumentException("drift must be between 0 and 1, got " + drift);
    }
    Random random = new Random(seed);
    Truth truth = BASELINE.towards(DRIFTED, drift);
    List<Row> generated = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      generated.add(row(random, drift, truth));
    }
    return generated;
  }

  /** Rows for evaluating a model trained on {@code generate(trainingSeed, ...)}: same world, other rows. */
  public static List<Row> holdout(long trainingSeed, int rows) {
    return generate(~trainingSeed, rows, 0);
  }

  private static Row row(Random random, double drift, Truth truth) {
    double age = Math.round(clamp(38 - 8 * drift + 11 * random.nextGaussian(), 18, 80));
    double sessions = Math.min(60, poisson(random, Math.exp(Math.log(4 + 4 * drift) + 0.6 * random.nextGaussian())));
    double ctr = round(clamp(Math.exp(Math.log(0.04 - 0.01 * drift) + 0.6 * random.nextGaussian()), 0, 0.5), 4);
    double price = round(clamp(Math.exp(Math.log(35 * (1 + 0.8 * drift)) + 0.8 * random.nextGaussian()), 1, 2000), 2);
    double discount = random.nextDouble() < 0.3 + 0.3 * drift ? 0.05 * (1 + random.nextInt(10)) : 0;
    double popularity = round(Math.pow(random.nextDouble(), 1.5 - 0.7 * drift), 3);
    double position = Math.min(30, 1 + Math.floor(-4 * Math.log(1 - random.nextDouble())));
    double hour = random.nextDouble() < 0.5
        ? Math.floorMod(Math.round(20 + 2 * drift + 3 * random.nextGaussian()), 24)
        : random.nextInt(24);
    boolean lateNight = hour >= 21 || hour < 2;
    double logit = truth.intercept()
        + truth.ctr() * (ctr - 0.04) / 0.03
        + truth.sessions() * (Math.log1p(sessions) - 1.6)
        - truth.price() * Math.log(price / 35)
        + truth.discount() * discount
        + truth.popularity() * (popularity - 0.5) * 2
        - truth.position() * Math.log(position)
        + truth.lateNight() * (lateNight ? 1 : 0)
        + truth.age() * (age - 38) / 11
        + LOGIT_NOISE * random.nextGaussian();
    boolean clicked = random.nextDouble() < 1 / (1 + Math.exp(-logit));
    return new Row(age, sessions, ctr, price, round(discount, 2), popularity, position, hour, clicked);
  }

  /** Writes a header ({@link #FEATURES} then {@link #LABEL}) and one line per row, label 0 or 1. */
  public static void writeCsv(Path file, List<Row> rows) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(String.join(",", FEATURES) + "," + LABEL + "\n");
      StringBuilder line = new StringBuilder();
      for (Row row : rows) {
        line.setLength(0);
        for (double value : row.features()) {
          line.append(plain(value)).append(',');
        }
        line.append(row.clicked() ? '1' : '0').append('\n');
        out.write(line.toString());
      }
    }
  }

  /** The shortest exact decimal, without exponent or trailing zeros, so the CSV reads the same everywhere. */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** Knuth's method: fine for the small rates used here. */
  private static double poisson(Random random, double rate) {
    double limit = Math.exp(-Math.min(rate, 50));
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      product *= random.nextDouble();
      count++;
    }
    return count;
  }

  private static double mix(double from, double to, double amount) {
    return from + (to - from) * amount;
  }

  private static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
