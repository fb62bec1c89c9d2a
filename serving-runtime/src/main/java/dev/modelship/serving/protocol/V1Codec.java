package dev.modelship.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.modelship.serving.batching.InferenceJob;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.TensorData;
import dev.modelship.serving.model.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The V1 (TF Serving / KServe V1) row format for models with one input: {@code {"instances": [row, ...]}}
 * answered with {@code {"predictions": [row, ...]}}. A row is the input's value for one example, as a nested
 * array, a number, or an object naming the input.
 */
public final class V1Codec {
  private V1Codec() {
  }

  public static InferenceJob parsePredictRequest(byte[] body, LoadedModel model) {
    if (model.inputs().size() != 1) {
      throw ApiException.badRequest("V1 predict needs a model with exactly one input; '" + model.name() + "' has "
          + model.inputs().size() + " (" + Signatures.names(model) + "): use the V2 infer endpoint");
    }
    TensorSpec spec = model.inputs().get(0);
    long maxElements = body.length / 2 + 1;
    try (JsonParser parser = Json.FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.badRequest("request body must be a JSON object with 'instances'");
      }
      TensorReader reader = null;
      long rows = 0;
      long rowElements = -1;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("signature_name")) {
          parser.skipChildren();
        } else if (field.equals("instances")) {
          if (value != JsonToken.START_ARRAY) {
            throw ApiException.badRequest("'instances' must be an array, got " + TensorReader.describe(value));
          }
          reader = new TensorReader("instances", spec.datatype(), -1, maxElements);
          JsonToken token;
          while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            long before = reader.count();
            readInstance(parser, token, spec, reader);
            long elements = reader.count() - before;
            if (rowElements >= 0 && elements != rowElements) {
              throw ApiException.badRequest("instance " + rows + " has " + elements + " values, instance 0 has "
                  + rowElements + "; every instance must have the same shape");
            }
            rowElements = elements;
            rows++;
          }
        } else if (field.equals("inputs")) {
          throw ApiException.badRequest("the columnar V1 format ('inputs') is not supported; send {\"instances\": [...]}");
        } else {
          throw ApiException.badRequest("unknown field '" + field + "' in predict request (expected instances)");
        }
      }
      if (parser.nextToken() != null) {
        throw ApiException.badRequest("unexpected content after the request's JSON object");
      }
      if (reader == null || rows == 0) {
        throw ApiException.badRequest("request has no 'instances' (send {\"instances\": [[...], ...]})");
      }
      long[] shape = shapeFor(spec, rows, rowElements);
      Signatures.checkShape(model, spec, shape, maxElements);
      TensorData input = new TensorData(spec.datatype(), shape, reader.values());
      boolean[] allOutputs = new boolean[model.outputs().size()];
      Arrays.fill(allOutputs, true);
      return Signatures.job(model, new TensorData[] {input}, allOutputs);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable request body: " + e.getMessage());
    }
  }

  private static void readInstance(JsonParser parser, JsonToken token, TensorSpec spec, TensorReader reader)
      throws IOException {
    if (token != JsonToken.START_OBJECT) {
      reader.read(parser);
      return;
    }
    boolean found = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      if (!field.equals(spec.name())) {
        throw ApiException.badRequest("instance names '" + field + "', the model's input is '" + spec.name() + "'");
      }
      reader.read(parser);
      found = true;
    }
    if (!found) {
      throw ApiException.badRequest("an instance object has no '" + spec.name() + "'");
    }
  }

  /** [rows, model dims...], with a single dynamic dimension inferred from the values per row. */
  private static long[] shapeFor(TensorSpec spec, long rows, long rowElements) {
    long[] shape = spec.shape();
    if (shape.length == 0) {
      throw ApiException.badRequest("input '" + spec.name() + "' is a scalar; V1 instances need a batch dimension");
    }
    shape[0] = rows;
    long fixed = 1;
    int dynamic = -1;
    for (int d = 1; d < shape.length; d++) {
      if (shape[d] < 0) {
        if (dynamic >= 0) {
          throw ApiException.badRequest("input '" + spec.name() + "' has several dynamic dimensions "
              + Arrays.toString(spec.shape()) + "; use the V2 endpoint, which takes an explicit shape");
        }
        dynamic = d;
      } else {
        fixed *= shape[d];
      }
    }
    if (dynamic >= 0) {
      if (fixed == 0 || rowElements % fixed != 0) {
        throw ApiException.badRequest("instances have " + rowElements + " values each, which does not fit input '"
            + spec.name() + "' " + Arrays.toString(spec.shape()));
      }
      shape[dynamic] = rowElements / fixed;
    } else if (rowElements != fixed) {
      throw ApiException.badRequest("instances have " + rowElements + " values each, input '" + spec.name() + "' "
          + Arrays.toString(spec.shape()) + " needs " + fixed);
    }
    return shape;
  }

  /** {@code {"predictions": [...]}}: per row, the output's row, or an object by output name when there are several. */
  public static byte[] writePredictResponse(LoadedModel model, TensorData[] outputs) {
    List<TensorSpec> specs = model.outputs();
    return Json.write(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("predictions");
      long rows = outputs[0].dim(0);
      for (int row = 0; row < rows; row++) {
        if (outputs.length == 1) {
          writeRow(json, outputs[0], row);
        } else {
          json.writeStartObject();
          for (int o = 0; o < outputs.length; o++) {
            json.writeFieldName(specs.get(o).name());
            writeRow(json, outputs[o], row);
          }
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private static void writeRow(JsonGenerator json, TensorData tensor, int row) throws IOException {
    long[] shape = tensor.shape();
    long[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
    int rowElements = (int) TensorData.elementCount(rowShape);
    ByteBuffer values = tensor.values().order(ByteOrder.nativeOrder());
    writeNested(json, tensor, values, rowShape, 0, row * rowElements);
  }

  private static int writeNested(JsonGenerator json, TensorData tensor, ByteBuffer values, long[] dims, int depth,
                                 int first) throws IOException {
    if (depth == dims.length) {
      V2Codec.writeElements(json, tensor.datatype(), values, first, 1);
      return first + 1;
    }
    json.writeStartArray();
    int next = first;
    if (depth == dims.length - 1) {
      V2Codec.writeElements(json, tensor.datatype(), values, first, (int) dims[depth]);
      next += (int) dims[depth];
    } else {
      for (long i = 0; i < dims[depth]; i++) {
        next = writeNested(json, tensor, values, dims, depth + 1, next);
      }
    }
    json.writeEndArray();
    return next;
  }
}
