package dev.modelship.serving.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds V2 inference request bodies. */
public final class V2Requests {
  private V2Requests() {
  }

  public static ObjectNode request() {
    ObjectNode request = HttpJson.MAPPER.createObjectNode();
    request.putArray("inputs");
    return request;
  }

  /** One FP32 input of shape [rows.length, rows[0].length], data flat. */
  public static ObjectNode fp32(String input, float[][] rows) {
    ObjectNode request = request();
    addFp32(request, input, rows);
    return request;
  }

  public static ObjectNode addFp32(ObjectNode request, String input, float[][] rows) {
    ObjectNode tensor = ((ArrayNode) request.get("inputs")).addObject();
    tensor.put("name", input);
    tensor.putArray("shape").add(rows.length).add(rows[0].length);
    tensor.put("datatype", "FP32");
    ArrayNode data = tensor.putArray("data");
    for (float[] row : rows) {
      for (float value : row) {
        data.add(value);
      }
    }
    return request;
  }
}
