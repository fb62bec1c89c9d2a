package dev.modelship.serving.protocol;

/**
 * Decimal-to-binary conversion for JSON numbers read straight from bytes, correctly rounded like
 * {@link Float#parseFloat} and {@link Double#parseDouble}: exact fast paths (Clinger's) for the usual short
 * numbers, the JDK's parser for the rest.
 */
final class JsonNumbers {
  private static final double[] DOUBLE_POWERS = new double[23];
  private static final float[] FLOAT_POWERS = new float[11];
  private static final long MAX_EXACT_DOUBLE = 1L << 53;
  private static final long MAX_EXACT_FLOAT = 1L << 24;

  static {
    double power = 1;
    for (int i = 0; i < DOUBLE_POWERS.length; i++) {
      DOUBLE_POWERS[i] = power;
      power *= 10;
    }
    for (int i = 0; i < FLOAT_POWERS.length; i++) {
      FLOAT_POWERS[i] = (float) DOUBLE_POWERS[i];
    }
  }

  private JsonNumbers() {
  }

  /**
   * The double nearest to {@code (negative ? -1 : 1) * mantissa * 10^exponent}, where {@code text} is the
   * number as written (used when no exact fast path applies).
   */
  static double toDouble(boolean negative, long mantissa, int exponent, byte[] json, int start, int end) {
    if (mantissa <= MAX_EXACT_DOUBLE && exponent >= -22 && exponent <= 22) {
      double value = exponent >= 0 ? mantissa * DOUBLE_POWERS[exponent] : mantissa / DOUBLE_POWERS[-exponent];
      return negative ? -value : value;
    }
    return Double.parseDouble(text(json, start, end));
  }

  /** The float nearest to the same value, without the double-rounding error a cast from double can make. */
  static float toFloat(boolean negative, long mantissa, int exponent, byte[] json, int start, int end) {
    if (mantissa <= MAX_EXACT_FLOAT && exponent >= -10 && exponent <= 10) {
      float value = exponent >= 0 ? mantissa * FLOAT_POWERS[exponent] : mantissa / FLOAT_POWERS[-exponent];
      return negative ? -value : value;
    }
    double nearest = toDouble(negative, mantissa, exponent, json, start, end);
    if (isFloatMidpoint(nearest) || (nearest != 0 && Math.abs(nearest) < Float.MIN_NORMAL)) {
      return Float.parseFloat(text(json, start, end));
    }
    return (float) nearest;
  }

  /**
   * True when {@code value} lies exactly halfway between two floats. Only then can rounding the exact decimal
   * to double and that double to float differ from rounding the decimal to float directly: a midpoint is itself
   * a double, so rounding to the nearest double never carries a value across it.
   */
  private static boolean isFloatMidpoint(double value) {
    long bits = Double.doubleToRawLongBits(value);
    return (bits & 0x1FFFFFFFL) == 0x10000000L;
  }

  private static String text(byte[] json, int start, int end) {
    return new String(json, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
