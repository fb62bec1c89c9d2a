package dev.modelship.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.modelship.serving.batching.InferenceJob;
import dev.modelship.serving.model.Datatype;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.TensorData;
import dev.modelship.serving.model.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Open Inference Protocol (KServe V2) inference requests and responses. Requests are parsed in one streaming
 * pass, each input's {@code data} going straight into a typed buffer; any mistake is a 400 naming the field.
 */
public final class V2Codec {
  private V2Codec() {
  }

  /** A parsed inference request: the client's {@code id} (or null) and the job to run. */
  public record Request(String id, InferenceJob job) {
  }

  public static Request parseInferRequest(byte[] body, LoadedModel model) {
    Request usual = FastV2Parser.tryParse(body, model);
    return usual != null ? usual : parseAnyInferRequest(body, model);
  }

  /** The general parser: any field order, escapes, deferred data, and a precise error for every mistake. */
  static Request parseAnyInferRequest(byte[] body, LoadedModel model) {
    long maxElements = body.length / 2 + 1;
    try (JsonParser parser = Json.FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.badRequest("request body must be a JSON object");
      }
      String id = null;
      TensorData[] inputs = null;
      boolean[] wanted = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "id":
            if (value != JsonToken.VALUE_STRING) {
              throw ApiException.badRequest("'id' must be a string, got " + TensorReader.describe(value));
            }
            id = parser.getText();
            break;
          case "parameters":
            requireObject(value, "'parameters'");
            parser.skipChildren();
            break;
          case "inputs":
            inputs = readInputs(parser, value, model, maxElements);
            break;
          case "outputs":
            wanted = readRequestedOutputs(parser, value, model);
            break;
          default:
            throw ApiException.badRequest("unknown field '" + field
                + "' in inference request (expected id, parameters, inputs, outputs)");
        }
      }
      if (parser.nextToken() != null) {
        throw ApiException.badRequest("unexpected content after the request's JSON object");
      }
      if (inputs == null) {
        throw ApiException.badRequest("request has no 'inputs'");
      }
      if (wanted == null) {
        wanted = new boolean[model.outputs().size()];
        Arrays.fill(wanted, true);
      }
      return new Request(id, Signatures.job(model, inputs, wanted));
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"));
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable request body: " + e.getMessage());
    }
  }

  private static TensorData[] readInputs(JsonParser parser, JsonToken value, LoadedModel model, long maxElements)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw ApiException.badRequest("'inputs' must be an array, got " + TensorReader.describe(value));
    }
    TensorData[] inputs = new TensorData[model.inputs().size()];
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      requireObject(token, "each element of 'inputs'");
      InputFields fields = new InputFields();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        fields.read(parser, parser.currentName(), parser.nextToken(), model, maxElements);
      }
      int index = fields.index(model);
      if (inputs[index] != null) {
        throw ApiException.badRequest("input '" + fields.name + "' is given twice");
      }
      inputs[index] = fields.finish(model, maxElements);
    }
    return inputs;
  }

  /** The fields of one input object, which may come in any order; {@code data} is streamed once the rest is known. */
  private static final class InputFields {
    String name;
    Datatype datatype;
    long[] shape;
    long elements = -1;
    TensorReader reader;
    TokenBuffer deferredData;

    void read(JsonParser parser, String field, JsonToken value, LoadedModel model, long maxElements)
        throws IOException {
      switch (field) {
        case "name":
          name = requireString(parser, value, "input 'name'");
          break;
        case "datatype":
          String label = "input" + (name == null ? "" : " '" + name + "'");
          String text = requireString(parser, value, label + " 'datatype'");
          datatype = Datatype.fromProtocolName(text).orElseThrow(() -> ApiException.badRequest(
              label + ": datatype '" + text + "' is not supported (use one of " + Arrays.toString(Datatype.values())
                  + ")"));
          break;
        case "shape":
          shape = readShape(parser, value, name);
          break;
        case "parameters":
          requireObject(value, "input 'parameters'");
          rejectBinaryData(parser, "binary_data_size");
          break;
        case "data":
          if (name != null && datatype != null && shape != null) {
            prepare(model, maxElements);
            reader.read(parser);
          } else {
            deferredData = new TokenBuffer(parser, null);
            deferredData.copyCurrentStructure(parser);
          }
          break;
        default:
          throw ApiException.badRequest("unknown field '" + field
              + "' in an input (expected name, shape, datatype, parameters, data)");
      }
    }

    int index(LoadedModel model) {
      if (name == null) {
        throw ApiException.badRequest("an input has no 'name'");
      }
      OptionalInt index = model.inputIndex(name);
      if (index.isEmpty()) {
        throw ApiException.badRequest("unknown input '" + name + "' (model inputs: " + Signatures.names(model) + ")");
      }
      return index.getAsInt();
    }

    private void prepare(LoadedModel model, long maxElements) {
      TensorSpec spec = model.inputs().get(index(model));
      if (datatype != spec.datatype()) {
        throw ApiException.badRequest("input '" + name + "': datatype " + datatype + " does not match the model's "
            + spec.datatype());
      }
      elements = Signatures.checkShape(model, spec, shape, maxElements);
      reader = new TensorReader("input '" + name + "'", datatype, elements, elements);
    }

    TensorData finish(LoadedModel model, long maxElements) throws IOException {
      if (datatype == null) {
        throw ApiException.badRequest("input '" + name + "' has no 'datatype'");
      }
      if (shape == null) {
        throw ApiException.badRequest("input '" + name + "' has no 'shape'");
      }
      if (reader == null) {
        if (deferredData == null) {
          throw ApiException.badRequest("input '" + name + "' has no 'data'");
        }
        prepare(model, maxElements);
        try (JsonParser replay = deferredData.asParser()) {
          replay.nextToken();
          reader.read(replay);
        }
      }
      if (reader.count() != elements) {
        throw ApiException.badRequest("input '" + name + "': data has " + reader.count() + " elements, shape "
            + Arrays.toString(shape) + " needs " + elements);
      }
      return new TensorData(datatype, shape, reader.values());
    }
  }

  private static long[] readShape(JsonParser parser, JsonToken value, String name) throws IOException {
    String what = "input" + (name == null ? "" : " '" + name + "'") + " 'shape'";
    if (value != JsonToken.START_ARRAY) {
      throw ApiException.badRequest(what + " must be an array of integers, got " + TensorReader.describe(value));
    }
    List<Long> dims = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw ApiException.badRequest(what + " must be an array of integers, found "
            + (token == JsonToken.VALUE_NUMBER_INT ? parser.getText() : TensorReader.describe(token)));
      }
      if (dims.size() == 32) {
        throw ApiException.badRequest(what + " has more than 32 dimensions");
      }
      dims.add(parser.getLongValue());
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  private static boolean[] readRequestedOutputs(JsonParser parser, JsonToken value, LoadedModel model)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw ApiException.badRequest("'outputs' must be an array, got " + TensorReader.describe(value));
    }
    boolean[] wanted = new boolean[model.outputs().size()];
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      requireObject(token, "each element of 'outputs'");
      String name = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken fieldValue = parser.nextToken();
        if (field.equals("name")) {
          name = requireString(parser, fieldValue, "output 'name'");
        } else if (field.equals("parameters")) {
          requireObject(fieldValue, "output 'parameters'");
          rejectBinaryData(parser, "binary_data");
        } else {
          throw ApiException.badRequest("unknown field '" + field + "' in a requested output (expected name, parameters)");
        }
      }
      if (name == null) {
        throw ApiException.badRequest("a requested output has no 'name'");
      }
      String requested = name;
      int index = model.outputIndex(name).orElseThrow(() -> ApiException.badRequest(
          "unknown output '" + requested + "' (model outputs: " + Signatures.outputNames(model) + ")"));
      wanted[index] = true;
    }
    return wanted;
  }

  /** Skips a parameters object, refusing the binary tensor data extension, which this server does not implement. */
  private static void rejectBinaryData(JsonParser parser, String binaryKey) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken value = parser.nextToken();
      if (key.equals(binaryKey) && value != JsonToken.VALUE_FALSE) {
        throw ApiException.badRequest("parameter '" + binaryKey
            + "': the binary tensor data extension is not supported; send JSON data");
      }
      parser.skipChildren();
    }
  }

  private static void requireObject(JsonToken token, String what) {
    if (token != JsonToken.START_OBJECT) {
      throw ApiException.badRequest(what + " must be an object, got " + TensorReader.describe(token));
    }
  }

  private static String requireString(JsonParser parser, JsonToken token, String what) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      throw ApiException.badRequest(what + " must be a string, got " + TensorReader.describe(token));
    }
    return parser.getText();
  }

  /** The response: model name and version, the request's id, and the outputs it asked for in model order. */
  public static byte[] writeInferResponse(LoadedModel model, String id, TensorData[] outputs) {
    return Json.write(json -> {
      json.writeStartObject();
      json.writeStringField("model_name", model.name());
      json.writeStringField("model_version", model.versionLabel());
      if (id != null) {
        json.writeStringField("id", id);
      }
      json.writeArrayFieldStart("outputs");
      for (int o = 0; o < outputs.length; o++) {
        if (outputs[o] == null) {
          continue;
        }
        json.writeStartObject();
        json.writeStringField("name", model.outputs().get(o).name());
        json.writeStringField("datatype", outputs[o].datatype().name());
        json.writeArrayFieldStart("shape");
        for (long dim : outputs[o].shape()) {
          json.writeNumber(dim);
        }
        json.writeEndArray();
        json.writeFieldName("data");
        writeFlat(json, outputs[o]);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  static void writeFlat(JsonGenerator json, TensorData tensor) throws IOException {
    json.writeStartArray();
    writeElements(json, tensor.datatype(), tensor.values(), 0, (int) tensor.elementCount());
    json.writeEndArray();
  }

  /** Writes {@code count} elements starting at element {@code first}, without brackets. */
  static void writeElements(JsonGenerator json, Datatype type, ByteBuffer values, int first, int count)
      throws IOException {
    int end = first + count;
    switch (type) {
      case FP32:
        for (int i = first; i < end; i++) {
          json.writeNumber(values.getFloat(i * 4));
        }
        break;
      case FP64:
        for (int i = first; i < end; i++) {
          json.writeNumber(values.getDouble(i * 8));
        }
        break;
      case BOOL:
        for (int i = first; i < end; i++) {
          json.writeBoolean(values.get(i) != 0);
        }
        break;
      case UINT8:
        for (int i = first; i < end; i++) {
          json.writeNumber(values.get(i) & 0xff);
        }
        break;
      case INT8:
        for (int i = first; i < end; i++) {
          json.writeNumber(values.get(i));
        }
        break;
      case INT16:
        for (int i = first; i < end; i++) {
          json.writeNumber(values.getShort(i * 2));
        }
        break;
      case INT32:
        for (int i = first; i < end; i++) {
          json.writeNumber(values.getInt(i * 4));
        }
        break;
      default:
        for (int i = first; i < end; i++) {
          json.writeNumber(values.getLong(i * 8));
        }
    }
  }
}
