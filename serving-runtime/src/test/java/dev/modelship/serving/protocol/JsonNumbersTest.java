package dev.modelship.serving.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonNumbersTest {

  /** Splits a plain JSON number the way the fast parser does and converts it. */
  private static float asFloat(String text) {
    Parts parts = Parts.of(text);
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return JsonNumbers.toFloat(parts.negative, parts.mantissa, parts.exponent, bytes, 0, bytes.length);
  }

  private static double asDouble(String text) {
    Parts parts = Parts.of(text);
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return JsonNumbers.toDouble(parts.negative, parts.mantissa, parts.exponent, bytes, 0, bytes.length);
  }

  private record Parts(boolean negative, long mantissa, int exponent) {
    static Parts of(String text) {
      boolean negative = text.startsWith("-");
      String body = negative ? text.substring(1) : text;
      int exponent = 0;
      int e = body.toLowerCase(Locale.ROOT).indexOf('e');
      if (e >= 0) {
        exponent = Integer.parseInt(body.substring(e + 1));
        body = body.substring(0, e);
      }
      int dot = body.indexOf('.');
      if (dot >= 0) {
        exponent -= body.length() - dot - 1;
        body = body.substring(0, dot) + body.substring(dot + 1);
      }
      return new Parts(negative, Long.parseLong(body), exponent);
    }
  }

  @Test
  void agreesWithTheJdkOnRandomShortAndLongDecimals() {
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      String text = randomNumber(random);
      assertThat(asFloat(text)).as(text).isEqualTo(Float.parseFloat(text));
      assertThat(asDouble(text)).as(text).isEqualTo(Double.parseDouble(text));
    }
  }

  @Test
  void agreesWithTheJdkOnShortestFloatAndDoubleRepresentations() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (!Float.isFinite(f) || Float.toString(f).length() > 19) {
        continue;
      }
      String text = new java.math.BigDecimal(Float.toString(f)).toPlainString();
      if (text.replace("-", "").replace(".", "").replaceFirst("^0+", "").length() <= 18 && text.length() < 60) {
        assertThat(asFloat(text)).as(text).isEqualTo(f);
      }
    }
  }

  @Test
  void handlesHalfwayCasesSubnormalsAndSignedZero() {
    // 2^24 + 1 sits exactly between two floats: ties to even.
    assertThat(asFloat("16777217.0")).isEqualTo(16777216f);
    assertThat(asFloat("16777219.0")).isEqualTo(16777220f);
    // Just below the midpoint between 1 + 2^-23 and 1 + 2^-22: the nearest double IS that midpoint, so a
    // cast from double would round to even (1 + 2^-22); the right answer is 1 + 2^-23.
    assertThat(asFloat("1.00000017881393432")).isEqualTo(1.0000001f).isNotEqualTo((float) 1.00000017881393432);
    assertThat(asFloat("1.4e-45")).isEqualTo(Float.MIN_VALUE);
    assertThat(asFloat("1.17549435e-38")).isEqualTo(Float.MIN_NORMAL);
    assertThat(asFloat("-0.0")).isEqualTo(-0.0f);
    assertThat(Float.floatToRawIntBits(asFloat("-0.0"))).isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(asDouble("4.9e-324")).isEqualTo(Double.MIN_VALUE);
    assertThat(asFloat("3.4028236e38")).isInfinite();
  }

  private static String randomNumber(Random random) {
    StringBuilder text = new StringBuilder();
    if (random.nextBoolean()) {
      text.append('-');
    }
    int intDigits = 1 + random.nextInt(9);
    text.append(1 + random.nextInt(9));
    for (int i = 1; i < intDigits; i++) {
      text.append(random.nextInt(10));
    }
    int fracDigits = random.nextInt(Math.max(1, 18 - intDigits));
    if (fracDigits > 0) {
      text.append('.');
      for (int i = 0; i < fracDigits; i++) {
        text.append(random.nextInt(10));
      }
    }
    if (random.nextInt(3) == 0) {
      text.append('e').append(random.nextInt(80) - 40);
    }
    return text.toString();
  }
}
