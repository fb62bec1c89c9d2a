package dev.modelship.serving.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelship.serving.model.Datatype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Streams a tensor's JSON {@code data} (a flat or nested array in row-major order, or a single value) straight
 * into a typed buffer in native order, checking every element against the datatype as it goes.
 */
final class TensorReader {
  private final String what;
  private final Datatype type;
  private final long maxElements;
  private ByteBuffer buffer;
  private long count;

  /**
   * @param what how errors name the tensor, e.g. {@code input 'x'}
   * @param expectedElements elements the shape calls for, or -1 when unknown
   * @param maxElements elements beyond which reading stops with an error
   */
  TensorReader(String what, Datatype type, long expectedElements, long maxElements) {
    this.what = what;
    this.type = type;
    this.maxElements = maxElements;
    long initial = expectedElements >= 0 ? expectedElements : Math.min(maxElements, 64);
    this.buffer = ByteBuffer.allocate(Math.toIntExact(initial * type.byteSize())).order(ByteOrder.nativeOrder());
  }

  /** Reads the value at the parser's current token, leaving the parser on that value's last token. */
  TensorReader read(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token != JsonToken.START_ARRAY) {
      element(parser, token);
      return this;
    }
    int depth = 0;
    while (true) {
      if (token == JsonToken.START_ARRAY) {
        depth++;
      } else if (token == JsonToken.END_ARRAY) {
        if (--depth == 0) {
          return this;
        }
      } else {
        element(parser, token);
      }
      token = parser.nextToken();
    }
  }

  long count() {
    return count;
  }

  /** The elements read so far, positioned at 0. */
  ByteBuffer values() {
    ByteBuffer done = buffer.duplicate().order(ByteOrder.nativeOrder());
    done.flip();
    return done;
  }

  private void element(JsonParser parser, JsonToken token) throws IOException {
    if (count >= maxElements) {
      throw ApiException.badRequest(what + ": data has more than the " + maxElements + " elements its shape holds");
    }
    if (buffer.remaining() < type.byteSize()) {
      grow();
    }
    switch (type) {
      case FP32:
        buffer.putFloat(floatElement(parser, token));
        break;
      case FP64:
        buffer.putDouble(doubleElement(parser, token));
        break;
      case BOOL:
        buffer.put(boolElement(token));
        break;
      default:
        putInteger(integerElement(parser, token));
    }
    count++;
  }

  private float floatElement(JsonParser parser, JsonToken token) throws IOException {
    requireNumber(parser, token);
    float value = parser.getFloatValue();
    if (Float.isInfinite(value)) {
      throw ApiException.badRequest(what + ": data element " + count + " (" + parser.getText()
          + ") is out of range for FP32");
    }
    return value;
  }

  private double doubleElement(JsonParser parser, JsonToken token) throws IOException {
    requireNumber(parser, token);
    double value = parser.getDoubleValue();
    if (Double.isInfinite(value)) {
      throw ApiException.badRequest(what + ": data element " + count + " (" + parser.getText()
          + ") is out of range for FP64");
    }
    return value;
  }

  private byte boolElement(JsonToken token) {
    if (token == JsonToken.VALUE_TRUE) {
      return 1;
    }
    if (token == JsonToken.VALUE_FALSE) {
      return 0;
    }
    throw ApiException.badRequest(what + ": data element " + count + " is " + describe(token)
        + ", expected true or false for BOOL");
  }

  private long integerElement(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw ApiException.badRequest(what + ": data element " + count + " is "
          + (token == JsonToken.VALUE_NUMBER_FLOAT ? parser.getText() : describe(token))
          + ", expected an integer for " + type);
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        || parser.getLongValue() < type.minValue() || parser.getLongValue() > type.maxValue()) {
      throw ApiException.badRequest(what + ": data element " + count + " (" + parser.getText()
          + ") is out of range for " + type);
    }
    return parser.getLongValue();
  }

  private void putInteger(long value) {
    switch (type.byteSize()) {
      case 1: buffer.put((byte) value); break;
      case 2: buffer.putShort((short) value); break;
      case 4: buffer.putInt((int) value); break;
      default: buffer.putLong(value);
    }
  }

  private void requireNumber(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw ApiException.badRequest(what + ": data element " + count + " is " + describe(token)
          + ", expected a number for " + type);
    }
  }

  private void grow() {
    long capacityElements = Math.min(maxElements, Math.max(64, (long) buffer.capacity() / type.byteSize() * 2));
    ByteBuffer bigger = ByteBuffer.allocate(Math.toIntExact(capacityElements * type.byteSize()))
        .order(ByteOrder.nativeOrder());
    buffer.flip();
    bigger.put(buffer);
    buffer = bigger;
  }

  static String describe(JsonToken token) {
    switch (token) {
      case VALUE_STRING: return "a string";
      case VALUE_NULL: return "null";
      case VALUE_TRUE:
      case VALUE_FALSE: return "a boolean";
      case START_OBJECT: return "an object";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT: return "a number";
      default: return token.asString() == null ? token.name() : token.asString();
    }
  }
}
