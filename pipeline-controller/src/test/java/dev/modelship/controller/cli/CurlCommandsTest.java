package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CurlCommandsTest {
  private static final String BASE = "http://127.0.0.1:8080";

  @Test
  void coversReadinessMetadataBothProtocolsAndMetrics() {
    List<String> commands = CurlCommands.forModel(BASE, "clicks", "{\"inputs\":[]}", "{\"instances\":[[1]]}").stream()
        .filter(line -> !line.startsWith("#")).toList();

    assertThat(commands).containsExactly(
        "curl -s http://127.0.0.1:8080/v2/health/ready",
        "curl -s http://127.0.0.1:8080/v2/models/clicks",
        "curl -s -X POST http://127.0.0.1:8080/v2/models/clicks/infer -H 'Content-Type: application/json' "
            + "-d '{\"inputs\":[]}'",
        "curl -s -X POST http://127.0.0.1:8080/v1/models/clicks:predict -H 'Content-Type: application/json' "
            + "-d '{\"instances\":[[1]]}'",
        "curl -s http://127.0.0.1:8080/metrics");
  }

  @Test
  void refusesBodiesThatWouldBreakTheShellQuoting() {
    assertThatThrownBy(() -> CurlCommands.forModel(BASE, "clicks", "{\"a\":\"it's\"}", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
