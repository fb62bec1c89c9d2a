package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ReplyErrorsTest {
  private static final UnaryOperator<String> KEEP = UnaryOperator.identity();

  @Test
  void distributionErrorDocumentsBecomeCodeAndMessage() {
    String body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{}},"
        + "{\"code\":\"DENIED\",\"message\":\"no\"}]}";

    assertThat(ReplyErrors.detail(bytes(body), KEEP)).isEqualTo(": MANIFEST_UNKNOWN manifest unknown; DENIED no");
  }

  @Test
  void otherBodiesAreQuotedShortAndWithoutControlCharacters() {
    String detail = ReplyErrors.detail(bytes("<html>\u0000" + "x".repeat(1000) + "</html>"), KEEP);

    assertThat(detail).startsWith(": \"<html>?xxx").endsWith("...\"").hasSizeLessThan(320);
    assertThat(ReplyErrors.detail(new byte[0], KEEP)).isEmpty();
  }

  @Test
  void secretsAreTakenOutOfWhatTheRegistrySaid() {
    RegistryCredentials credentials = new RegistryCredentials("robot", "hunter2", "test");

    assertThat(ReplyErrors.detail(bytes("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"bad password hunter2\"}]}"),
        credentials::redact)).isEqualTo(": DENIED bad password ****");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
