package dev.modelship.controller.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class InferenceRequestsTest {
  @Test
  void v2BodyNamesTheInputAndGivesShapeDatatypeAndRowMajorData() {
    String body = InferenceRequests.v2InferBody("input", new float[] {1, 0.5f, 35.01f}, new float[] {0, -2, 1e-4f});

    assertThat(body).isEqualTo("{\"inputs\":[{\"name\":\"input\",\"shape\":[2,3],\"datatype\":\"FP32\","
        + "\"data\":[1,0.5,35.01,0,-2,0.0001]}]}");
  }

  @Test
  void v2BodyEscapesTheInputName() {
    assertThat(InferenceRequests.v2InferBody("a\"b", new float[] {1})).startsWith("{\"inputs\":[{\"name\":\"a\\\"b\"");
  }

  @Test
  void v1BodyHasOneInstancePerRow() {
    assertThat(InferenceRequests.v1PredictBody(new float[] {1, 2}, new float[] {3, 4.25f}))
        .isEqualTo("{\"instances\":[[1,2],[3,4.25]]}");
  }

  @Test
  void rejectsRaggedOrEmptyRows() {
    assertThatThrownBy(() -> InferenceRequests.v2InferBody("x", new float[] {1}, new float[] {1, 2}))
        .hasMessageContaining("different lengths");
    assertThatThrownBy(() -> InferenceRequests.v1PredictBody()).hasMessageContaining("at least one row");
  }

  @Test
  void readsTheDataOfANamedOutputFromAV2Response() throws IOException {
    String response = "{\"model_name\":\"clicks\",\"model_version\":\"1\",\"outputs\":["
        + "{\"name\":\"other\",\"datatype\":\"FP32\",\"shape\":[1,1],\"data\":[9]},"
        + "{\"name\":\"output\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.25,0.75]}]}";

    assertThat(InferenceRequests.v2OutputData(response, "output")).containsExactly(0.25, 0.75);
    assertThatThrownBy(() -> InferenceRequests.v2OutputData(response, "missing")).isInstanceOf(IOException.class)
        .hasMessageContaining("no output 'missing'");
  }

  @Test
  void randomRowsAreSeededAndShortToType() {
    assertThat(InferenceRequests.randomRow(3, 50)).isEqualTo(InferenceRequests.randomRow(3, 50)).hasSize(50);
    for (float value : InferenceRequests.randomRow(3, 50)) {
      assertThat(InferenceRequests.plain(value)).matches("-?[0-9]+(\\.[0-9]{1,3})?");
    }
  }
}
