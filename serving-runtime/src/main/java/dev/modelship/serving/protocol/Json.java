package dev.modelship.serving.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON factory shared by the codecs, and a helper that writes a document to bytes. */
public final class Json {
  public static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build();

  private Json() {
  }

  /** Writes one JSON document with {@code body} and returns its bytes. */
  public static byte[] write(Body body) {
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(512);
         JsonGenerator json = FACTORY.createGenerator(bytes)) {
      body.write(json);
      json.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
  }

  /** {@code {"error": message}}. */
  public static byte[] error(String message) {
    return write(json -> {
      json.writeStartObject();
      json.writeStringField("error", message);
      json.writeEndObject();
    });
  }

  /** Writes a document. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator json) throws IOException;
  }
}
