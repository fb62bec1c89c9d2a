package dev.modelship.controller.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Random;

/**
 * Request bodies for the serving runtime's two protocols, written out for people to read and paste into
 * {@code curl}: numbers as short plain decimals, one JSON document per line.
 */
public final class InferenceRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InferenceRequests() {
  }

  /** Open Inference Protocol (KServe V2): {@code {"inputs":[{"name":..,"shape":[rows,cols],"datatype":"FP32",..}]}}. */
  public static String v2InferBody(String inputName, float[]... rows) {
    int columns = requireRectangular(rows);
    StringBuilder body = new StringBuilder("{\"inputs\":[{\"name\":")
        .append(JSON.valueToTree(inputName).toString())
        .append(",\"shape\":[").append(rows.length).append(',').append(columns)
        .append("],\"datatype\":\"FP32\",\"data\":[");
    for (int r = 0; r < rows.length; r++) {
      appendValues(body.append(r == 0 ? "" : ","), rows[r]);
    }
    return body.append("]}]}").toString();
  }

  /** V1 (TF Serving / KServe V1): {@code {"instances":[[..],..]}}. */
  public static String v1PredictBody(float[]... rows) {
    requireRectangular(rows);
    StringBuilder body = new StringBuilder("{\"instances\":[");
    for (int r = 0; r < rows.length; r++) {
      appendValues(body.append(r == 0 ? "[" : ",["), rows[r]).append(']');
    }
    return body.append("]}").toString();
  }

  /** Plausible input for a model whose features mean nothing, such as the random MLP: N(0,1), 3 decimals. */
  public static float[] randomRow(long seed, int columns) {
    Random random = new Random(seed);
    float[] row = new float[columns];
    for (int i = 0; i < columns; i++) {
      row[i] = Math.round(random.nextGaussian() * 1000) / 1000f;
    }
    return row;
  }

  /** The flat {@code data} of output {@code outputName} in a V2 infer response. */
  public static double[] v2OutputData(String responseBody, String outputName) throws IOException {
    JsonNode outputs = JSON.readTree(responseBody).path("outputs");
    for (JsonNode output : outputs) {
      if (outputName.equals(output.path("name").asText())) {
        JsonNode data = output.path("data");
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = data.get(i).asDouble();
        }
        return values;
      }
    }
    throw new IOException("the response has no output '" + outputName + "': " + responseBody);
  }

  /** Shortest decimal that reads back as the same float, without exponent: what a person would type. */
  static String plain(float value) {
    return new BigDecimal(Float.toString(value)).stripTrailingZeros().toPlainString();
  }

  private static StringBuilder appendValues(StringBuilder body, float[] row) {
    for (int i = 0; i < row.length; i++) {
      body.append(i == 0 ? "" : ",").append(plain(row[i]));
    }
    return body;
  }

  private static int requireRectangular(float[]... rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("a request needs at least one row");
    }
    for (float[] row : rows) {
      if (row.length != rows[0].length) {
        throw new IllegalArgumentException("rows have different lengths: " + rows[0].length + " and " + row.length);
      }
    }
    return rows[0].length;
  }
}
