package dev.modelship.controller.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeHistoryTest {
  private static final URI TARGET = URI.create("http://runtime/metrics");
  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

  private static List<ExpositionParser.Sample> counters(double ok, double errors) {
    return ExpositionParser.parse(
        "modelship_requests_total{code=\"200\",model=\"m\",version=\"1\"} " + ok + "\n"
            + "modelship_requests_total{code=\"503\",model=\"m\",version=\"1\"} " + errors + "\n");
  }

  @Test
  void severalScrapesOfOneInstantCountOnce() {
    ScrapeHistory history = new ScrapeHistory(Duration.ofMinutes(5));
    history.record(TARGET, T0, counters(100, 0));
    history.record(TARGET, T0, counters(100, 0));
    assertThat(history.increase(List.of(TARGET), T0.minusSeconds(60), T0, "m", "1").covered()).isFalse();
    history.record(TARGET, T0.plusSeconds(10), counters(150, 10));
    ScrapeHistory.Increase increase = history.increase(List.of(TARGET), T0.minusSeconds(60), T0.plusSeconds(10),
        "m", "1");
    assertThat(increase.requests()).isEqualTo(60);
    assertThat(increase.errors()).isEqualTo(10);
  }

  @Test
  void aScrapeFromEarlierThanTheHistoryStartsANewTimeline() {
    ScrapeHistory history = new ScrapeHistory(Duration.ofMinutes(5));
    history.record(TARGET, T0.plusSeconds(100), counters(1000, 0));
    history.record(TARGET, T0.plusSeconds(130), counters(2000, 0));
    history.record(TARGET, T0, counters(10, 5));
    history.record(TARGET, T0.plusSeconds(30), counters(20, 10));
    ScrapeHistory.Increase increase = history.increase(List.of(TARGET), T0.minusSeconds(30), T0.plusSeconds(30),
        "m", "1");
    assertThat(increase.requests()).isEqualTo(15);
    assertThat(increase.errors()).isEqualTo(5);
  }
}
