package dev.modelship.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.TensorSpec;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/** Metadata and health documents of the V2 and V1 protocols. */
public final class Metadata {
  public static final String PLATFORM = "onnx_onnxv1";

  private Metadata() {
  }

  /** {@code GET /v2}. */
  public static byte[] server(String name, String version) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("name", name);
      json.writeStringField("version", version);
      json.writeArrayFieldStart("extensions");
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /** {@code GET /v2/models/{m}[/versions/{v}]}: the signature from the ONNX graph, {@code -1} for dynamic dims. */
  public static byte[] model(LoadedModel model, Collection<Long> versions) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("name", model.name());
      json.writeArrayFieldStart("versions");
      for (long version : versions) {
        json.writeString(Long.toString(version));
      }
      json.writeEndArray();
      json.writeStringField("platform", PLATFORM);
      writeTensors(json, "inputs", model.inputs());
      writeTensors(json, "outputs", model.outputs());
      json.writeObjectFieldStart("parameters");
      json.writeStringField("version", model.versionLabel());
      json.writeStringField("sha256", model.sha256());
      json.writeStringField("device", model.device());
      json.writeNumberField("max_batch_size", model.maxBatchSize());
      json.writeEndObject();
      json.writeEndObject();
    });
  }

  private static void writeTensors(JsonGenerator json, String field, List<TensorSpec> tensors) throws IOException {
    json.writeArrayFieldStart(field);
    for (TensorSpec tensor : tensors) {
      json.writeStartObject();
      json.writeStringField("name", tensor.name());
      json.writeStringField("datatype", tensor.datatype().name());
      json.writeArrayFieldStart("shape");
      for (long dim : tensor.shape()) {
        json.writeNumber(dim);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** {@code {"live": true}}, {@code {"ready": false}} and the like. */
  public static byte[] flag(String name, boolean value) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeBooleanField(name, value);
      json.writeEndObject();
    });
  }

  /** {@code GET /v2/models/{m}/ready}. */
  public static byte[] modelReady(String name, boolean ready) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("name", name);
      json.writeBooleanField("ready", ready);
      json.writeEndObject();
    });
  }

  /** {@code GET /v1/models/{m}}: TF Serving's model status. */
  public static byte[] v1Status(Collection<Long> versions, boolean ready) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("model_version_status");
      for (long version : versions) {
        json.writeStartObject();
        json.writeStringField("version", Long.toString(version));
        json.writeStringField("state", ready ? "AVAILABLE" : "UNAVAILABLE");
        json.writeObjectFieldStart("status");
        json.writeStringField("error_code", "OK");
        json.writeStringField("error_message", "");
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }
}
