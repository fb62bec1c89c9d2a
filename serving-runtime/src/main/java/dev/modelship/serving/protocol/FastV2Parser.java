package dev.modelship.serving.protocol;

import dev.modelship.serving.model.Datatype;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.TensorData;
import dev.modelship.serving.model.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The fast path for V2 requests in their usual form: {@code id}, {@code inputs} whose {@code data} comes after
 * {@code name}, {@code shape} and {@code datatype}, plain {@code outputs}; strings without escapes. It reads the
 * bytes once and writes every number straight into its typed buffer (profiling showed Jackson's per-number
 * tokenising and conversion to be most of a 512-feature request's cost).
 *
 * <p>It answers only what it is sure of: anything else, including every mistake, makes it give up (return
 * null), and {@link V2Codec}'s general parser reads the request again and reports precisely.
 */
final class FastV2Parser {
  private final byte[] json;
  private final LoadedModel model;
  private int pos;

  private FastV2Parser(byte[] json, LoadedModel model) {
    this.json = json;
    this.model = model;
  }

  /** The parsed request, or null when the general parser must read it. */
  static V2Codec.Request tryParse(byte[] json, LoadedModel model) {
    try {
      return new FastV2Parser(json, model).request();
    } catch (GiveUp | ApiException | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Thrown to leave the fast path; carries no stack trace, it is control flow. */
  private static final class GiveUp extends RuntimeException {
    private static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super(null, null, false, false);
    }
  }

  private static GiveUp giveUp() {
    return GiveUp.INSTANCE;
  }

  private V2Codec.Request request() {
    expect('{');
    String id = null;
    TensorData[] inputs = null;
    boolean[] wanted = null;
    if (!peekIs('}')) {
      do {
        String field = string();
        expect(':');
        if (field.equals("id") && id == null) {
          id = string();
        } else if (field.equals("inputs") && inputs == null) {
          inputs = inputs();
        } else if (field.equals("outputs") && wanted == null) {
          wanted = outputs();
        } else {
          throw giveUp();
        }
      } while (comma());
    }
    expect('}');
    skipWhitespace();
    if (pos != json.length || inputs == null) {
      throw giveUp();
    }
    if (wanted == null) {
      wanted = new boolean[model.outputs().size()];
      Arrays.fill(wanted, true);
    }
    return new V2Codec.Request(id, Signatures.job(model, inputs, wanted));
  }

  private TensorData[] inputs() {
    TensorData[] inputs = new TensorData[model.inputs().size()];
    expect('[');
    if (!peekIs(']')) {
      do {
        TensorData tensor = input(inputs);
        if (tensor == null) {
          throw giveUp();
        }
      } while (comma());
    }
    expect(']');
    return inputs;
  }

  private TensorData input(TensorData[] inputs) {
    expect('{');
    int index = -1;
    Datatype datatype = null;
    long[] shape = null;
    TensorData tensor = null;
    do {
      String field = string();
      expect(':');
      if (field.equals("name") && index < 0) {
        OptionalInt found = model.inputIndex(string());
        if (found.isEmpty() || inputs[found.getAsInt()] != null) {
          throw giveUp();
        }
        index = found.getAsInt();
      } else if (field.equals("datatype") && datatype == null) {
        datatype = Datatype.fromProtocolName(string()).orElseThrow(FastV2Parser::giveUp);
      } else if (field.equals("shape") && shape == null) {
        shape = shape();
      } else if (field.equals("data") && index >= 0 && datatype != null && shape != null && tensor == null) {
        TensorSpec spec = model.inputs().get(index);
        if (datatype != spec.datatype()) {
          throw giveUp();
        }
        long elements = Signatures.checkShape(model, spec, shape, json.length / 2 + 1);
        tensor = new TensorData(datatype, shape, data(datatype, elements));
      } else {
        throw giveUp();
      }
    } while (comma());
    expect('}');
    if (tensor != null) {
      inputs[index] = tensor;
    }
    return tensor;
  }

  private long[] shape() {
    long[] dims = new long[8];
    int rank = 0;
    expect('[');
    if (!peekIs(']')) {
      do {
        if (rank == dims.length) {
          throw giveUp();
        }
        dims[rank++] = nonNegativeInteger();
      } while (comma());
    }
    expect(']');
    return Arrays.copyOf(dims, rank);
  }

  private boolean[] outputs() {
    boolean[] wanted = new boolean[model.outputs().size()];
    expect('[');
    if (!peekIs(']')) {
      do {
        expect('{');
        if (!string().equals("name")) {
          throw giveUp();
        }
        expect(':');
        OptionalInt index = model.outputIndex(string());
        if (index.isEmpty()) {
          throw giveUp();
        }
        wanted[index.getAsInt()] = true;
        expect('}');
      } while (comma());
    }
    expect(']');
    return wanted;
  }

  /** Flat or nested arrays of exactly {@code elements} values, straight into a typed native-order buffer. */
  private ByteBuffer data(Datatype type, long elements) {
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(elements * type.byteSize())).order(ByteOrder.nativeOrder());
    skipWhitespace();
    if (json[pos] != '[') {
      throw giveUp();
    }
    int depth = 0;
    boolean expectValue = true;
    while (true) {
      skipWhitespace();
      byte b = json[pos];
      if (b == '[' && expectValue) {
        pos++;
        depth++;
        skipWhitespace();
        if (json[pos] == ']') {
          throw giveUp(); // an empty nested array holds no elements; let the general parser judge it
        }
      } else if (b == ']' && !expectValue) {
        pos++;
        if (--depth == 0) {
          break;
        }
      } else if (b == ',' && !expectValue) {
        pos++;
        expectValue = true;
      } else if (expectValue && b != '[' && b != ']' && b != ',') {
        if (!out.hasRemaining()) {
          throw giveUp();
        }
        value(type, out);
        expectValue = false;
      } else {
        throw giveUp();
      }
    }
    if (out.hasRemaining()) {
      throw giveUp();
    }
    out.flip();
    return out;
  }

  private void value(Datatype type, ByteBuffer out) {
    if (type == Datatype.BOOL) {
      out.put(literal("true") ? (byte) 1 : literal("false") ? (byte) 0 : fail());
      return;
    }
    int start = pos;
    boolean negative = json[pos] == '-';
    if (negative) {
      pos++;
    }
    long mantissa = 0;
    int digits = 0;
    int exponent = 0;
    if (json[pos] == '0') {
      pos++;
    } else if (isDigit(json[pos])) {
      while (isDigit(json[pos])) {
        mantissa = accumulate(mantissa, digits++);
      }
    } else {
      throw giveUp();
    }
    boolean integer = true;
    if (json[pos] == '.') {
      integer = false;
      pos++;
      if (!isDigit(json[pos])) {
        throw giveUp();
      }
      while (isDigit(json[pos])) {
        if (mantissa == 0 && json[pos] == '0') {
          pos++; // leading zeros of the fraction carry no digit
        } else {
          mantissa = accumulate(mantissa, digits++);
        }
        exponent--;
      }
    }
    if (json[pos] == 'e' || json[pos] == 'E') {
      integer = false;
      exponent += exponentPart();
    }
    int end = pos;
    put(type, out, negative, mantissa, exponent, integer, start, end);
  }

  private void put(Datatype type, ByteBuffer out, boolean negative, long mantissa, int exponent, boolean integer,
                   int start, int end) {
    switch (type) {
      case FP32: {
        float value = integer ? (float) (negative ? -mantissa : mantissa)
            : JsonNumbers.toFloat(negative, mantissa, exponent, json, start, end);
        if (Float.isInfinite(value)) {
          throw giveUp();
        }
        out.putFloat(value);
        break;
      }
      case FP64: {
        double value = integer ? (double) (negative ? -mantissa : mantissa)
            : JsonNumbers.toDouble(negative, mantissa, exponent, json, start, end);
        if (Double.isInfinite(value)) {
          throw giveUp();
        }
        out.putDouble(value);
        break;
      }
      default: {
        long value = negative ? -mantissa : mantissa;
        if (!integer || value < type.minValue() || value > type.maxValue()) {
          throw giveUp();
        }
        switch (type.byteSize()) {
          case 1: out.put((byte) value); break;
          case 2: out.putShort((short) value); break;
          case 4: out.putInt((int) value); break;
          default: out.putLong(value);
        }
      }
    }
  }

  /** Adds the digit at {@code pos}; gives up beyond 18 significant digits (the general parser takes those). */
  private long accumulate(long mantissa, int digitsSoFar) {
    if (digitsSoFar >= 18) {
      throw giveUp();
    }
    return mantissa * 10 + (json[pos++] - '0');
  }

  private int exponentPart() {
    pos++;
    boolean negative = json[pos] == '-';
    if (negative || json[pos] == '+') {
      pos++;
    }
    if (!isDigit(json[pos])) {
      throw giveUp();
    }
    int exponent = 0;
    while (isDigit(json[pos])) {
      if (exponent > 9999) {
        throw giveUp();
      }
      exponent = exponent * 10 + (json[pos++] - '0');
    }
    return negative ? -exponent : exponent;
  }

  private long nonNegativeInteger() {
    skipWhitespace();
    if (json[pos] == '0') {
      pos++;
      if (isDigit(json[pos]) || json[pos] == '.' || json[pos] == 'e' || json[pos] == 'E') {
        throw giveUp();
      }
      return 0;
    }
    if (!isDigit(json[pos])) {
      throw giveUp();
    }
    long value = 0;
    int digits = 0;
    while (isDigit(json[pos])) {
      if (++digits > 15) {
        throw giveUp();
      }
      value = value * 10 + (json[pos++] - '0');
    }
    if (json[pos] == '.' || json[pos] == 'e' || json[pos] == 'E') {
      throw giveUp();
    }
    return value;
  }

  /** A string of printable ASCII without escapes. */
  private String string() {
    skipWhitespace();
    if (json[pos] != '"') {
      throw giveUp();
    }
    int start = ++pos;
    while (json[pos] != '"') {
      byte b = json[pos];
      if (b < 0x20 || b == '\\') { // control characters, escapes and (negative) non-ASCII bytes
        throw giveUp();
      }
      pos++;
    }
    return new String(json, start, pos++ - start, StandardCharsets.US_ASCII);
  }

  private boolean literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (json[pos + i] != word.charAt(i)) {
        return false;
      }
    }
    pos += word.length();
    return true;
  }

  private static byte fail() {
    throw giveUp();
  }

  private boolean comma() {
    skipWhitespace();
    if (json[pos] == ',') {
      pos++;
      return true;
    }
    return false;
  }

  private boolean peekIs(char c) {
    skipWhitespace();
    return json[pos] == c;
  }

  private void expect(char c) {
    skipWhitespace();
    if (json[pos] != c) {
      throw giveUp();
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < json.length) {
      byte b = json[pos];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return;
      }
      pos++;
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
