package dev.modelship.serving.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import dev.modelship.serving.batching.InferenceJob;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.ModelLoader;
import dev.modelship.serving.model.ModelRepository;
import dev.modelship.serving.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast V2 parser against the general one, on models loaded by real ONNX Runtime: for every request it
 * accepts it must produce exactly what the general parser produces, and it must accept nothing the general
 * parser rejects.
 */
class FastV2ParserIT {
  private static final String[] TYPES = {"FP32", "FP64", "INT8", "UINT8", "INT16", "INT32", "INT64", "BOOL"};
  private static final String[] INPUTS = {"float_in", "double_in", "int8_in", "uint8_in", "int16_in", "int32_in",
      "int64_in", "bool_in"};

  @TempDir
  static Path repo;
  static LoadedModel typed;
  static LoadedModel mlp;

  @BeforeAll
  static void load() throws Exception {
    TestModels.typed(repo, "typed");
    TestModels.mlp(repo, "wide", 1, 24, 8, 1, 2, 1);
    ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), new ModelLoader.Defaults(DeviceSpec.cpu(), 1));
    List<ModelRepository.ModelSource> sources = new ModelRepository(repo).scan();
    typed = loader.load(sources.get(0));
    mlp = loader.load(sources.get(1));
  }

  @AfterAll
  static void close() {
    typed.close();
    mlp.close();
  }

  @Test
  void takesTheUsualFormAndAgreesWithTheGeneralParser() {
    Random random = new Random(1);
    int taken = 0;
    for (int i = 0; i < 3000; i++) {
      String body = i % 2 == 0 ? typedRequest(random) : mlpRequest(random);
      LoadedModel model = i % 2 == 0 ? typed : mlp;
      V2Codec.Request fast = FastV2Parser.tryParse(bytes(body), model);
      V2Codec.Request general = V2Codec.parseAnyInferRequest(bytes(body), model);
      if (fast != null) {
        taken++;
        assertSame(fast, general, body);
      }
    }
    assertThat(taken).as("requests in the usual form take the fast path").isGreaterThan(2700);
  }

  @Test
  void acceptsNothingTheGeneralParserRejectsAndAgreesOnEverythingElse() {
    Random random = new Random(2);
    int rejected = 0;
    for (int i = 0; i < 20000; i++) {
      LoadedModel model = i % 2 == 0 ? typed : mlp;
      String valid = i % 2 == 0 ? typedRequest(random) : mlpRequest(random);
      byte[] body = bytes(mutate(valid, random));
      V2Codec.Request fast = FastV2Parser.tryParse(body, model);
      V2Codec.Request general;
      try {
        general = V2Codec.parseAnyInferRequest(body, model);
      } catch (ApiException e) {
        rejected++;
        assertThat(fast).as("fast path accepted what the general parser rejects (%s): %s", e.getMessage(),
            new String(body, StandardCharsets.UTF_8)).isNull();
        continue;
      }
      if (fast != null) {
        assertSame(fast, general, new String(body, StandardCharsets.UTF_8));
      }
    }
    assertThat(rejected).isGreaterThan(10000);
  }

  private static void assertSame(V2Codec.Request fast, V2Codec.Request general, String body) {
    assertThat(fast.id()).as(body).isEqualTo(general.id());
    InferenceJob a = fast.job();
    InferenceJob b = general.job();
    assertThat(a.rows()).as(body).isEqualTo(b.rows());
    assertThat(a.inputCount()).isEqualTo(b.inputCount());
    for (int i = 0; i < a.inputCount(); i++) {
      assertThat(a.input(i)).as(body).isEqualTo(b.input(i));
      assertThat(a.input(i).shape()).as(body).isEqualTo(b.input(i).shape());
    }
    for (int o = 0; o < 8; o++) {
      if (o < typed.outputs().size() && a.inputCount() == typed.inputs().size()) {
        assertThat(a.wantsOutput(o)).as(body).isEqualTo(b.wantsOutput(o));
      }
    }
  }

  private static String typedRequest(Random random) {
    int rows = 1 + random.nextInt(3);
    List<String> inputs = new ArrayList<>();
    for (int t = 0; t < TYPES.length; t++) {
      StringBuilder data = new StringBuilder();
      for (int i = 0; i < rows * 2; i++) {
        data.append(i == 0 ? "" : (random.nextBoolean() ? "," : " , ")).append(element(TYPES[t], random));
      }
      String dataJson = random.nextBoolean() ? "[" + data + "]" : nest(data.toString(), rows);
      inputs.add(input(INPUTS[t], TYPES[t], "[" + rows + ",2]", dataJson, random));
    }
    Collections.shuffle(inputs, random);
    String outputs = random.nextBoolean() ? ""
        : ",\"outputs\":[{\"name\":\"int64_out\"},{\"name\":\"float_out\"}]";
    String id = random.nextBoolean() ? "" : "\"id\":\"req-" + random.nextInt(1000) + "\",";
    return "{" + id + "\"inputs\":[" + String.join(",", inputs) + "]" + outputs + "}";
  }

  private static String mlpRequest(Random random) {
    int rows = 1 + random.nextInt(2);
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < rows * 24; i++) {
      data.append(i == 0 ? "" : ",").append(element("FP32", random));
    }
    return "{\"inputs\": [" + input("input", "FP32", "[" + rows + ", 24]", "[" + data + "]", random) + "]}\n";
  }

  private static String nest(String flat, int rows) {
    String[] values = flat.split(",");
    StringBuilder nested = new StringBuilder("[");
    for (int r = 0; r < rows; r++) {
      nested.append(r == 0 ? "[" : ",[").append(values[2 * r].trim()).append(',').append(values[2 * r + 1].trim())
          .append(']');
    }
    return nested.append(']').toString();
  }

  private static String input(String name, String type, String shape, String data, Random random) {
    List<String> head = new ArrayList<>(List.of("\"name\":\"" + name + "\"",
        "\"datatype\":\"" + (random.nextInt(10) == 0 ? type.toLowerCase(Locale.ROOT) : type) + "\"",
        "\"shape\":" + shape));
    Collections.shuffle(head, random);
    head.add("\"data\": " + data);
    return "{ " + String.join(", ", head) + " }";
  }

  private static String element(String type, Random random) {
    switch (type) {
      case "BOOL":
        return random.nextBoolean() ? "true" : "false";
      case "FP32":
      case "FP64":
        switch (random.nextInt(6)) {
          case 0: return Integer.toString(random.nextInt(2001) - 1000);
          case 1: return Float.toString((float) random.nextGaussian());
          case 2: return Double.toString(random.nextGaussian() * 1e6);
          case 3: return String.format(Locale.ROOT, "%.4f", random.nextGaussian());
          case 4: return String.format(Locale.ROOT, "%.3e", random.nextGaussian() * 1e-20);
          default: return random.nextBoolean() ? "-0.0" : "0";
        }
      case "INT8": return Integer.toString(random.nextInt(256) - 128);
      case "UINT8": return Integer.toString(random.nextInt(256));
      case "INT16": return Integer.toString(random.nextInt(65536) - 32768);
      case "INT32": return Integer.toString(random.nextInt());
      default: return Long.toString(random.nextLong() >> random.nextInt(64));
    }
  }

  private static final String[] FRAGMENTS = {"{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-",
      "1e999", "0", "01", ".5", "1.", "+1", "\\n", "\\\"", " ", "\u00e9", "1e", "[]", "{}", "\"x\"", "9999999999",
      "-0", "1.5", "300", "\"id\":\"a\",", "\"shape\":[1,2],", "\"outputs\":[]"};

  private static String mutate(String valid, Random random) {
    StringBuilder text = new StringBuilder(valid);
    int edits = 1 + random.nextInt(2);
    for (int e = 0; e < edits; e++) {
      int at = random.nextInt(text.length() + 1);
      switch (random.nextInt(4)) {
        case 0:
          text.setLength(at);
          break;
        case 1:
          if (at < text.length()) {
            text.deleteCharAt(at);
          }
          break;
        case 2:
          text.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
          break;
        default:
          if (at < text.length()) {
            text.setCharAt(at, (char) (32 + random.nextInt(95)));
          }
      }
    }
    return text.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
