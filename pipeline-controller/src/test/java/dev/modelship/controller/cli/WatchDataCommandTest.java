package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.registry.ModelVersionRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchDataCommandTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir
  Path dir;

  private WatchDataCommand command(ModelshipHome home) {
    return new WatchDataCommand(home, Optional.of(pkg -> new ModelVersionRef("clicks", 7)),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void onceTrainsAndPushesASettledFileAndASecondRunLeavesItAlone() throws Exception {
    Path inbox = Files.createDirectories(dir.resolve("inbox"));
    Path csv = inbox.resolve("monday.csv");
    ClickData.writeCsv(csv, ClickData.generate(4, 300, 0));
    Files.setLastModifiedTime(csv, FileTime.from(NOW.minus(Duration.ofMinutes(1))));
    ModelshipHome home = new ModelshipHome(dir.resolve("home"));
    String[] args = {inbox.toString(), "--name", "clicks", "--label", "clicked", "--push", "--once", "--epochs",
        "2"};

    CommandRun first = CommandRun.of(command(home), args);
    CommandRun second = CommandRun.of(command(home), args);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("monday.csv: PUSHED as clicks:7 -> " + home.root().resolve("trained/clicks"));
    assertThat(home.state().resolve("watch-data/clicks.json")).isRegularFile();
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).doesNotContain("monday.csv");
  }

  @Test
  void onceExitsOneWhenAFileCannotBeTrainedOn() throws Exception {
    Path inbox = Files.createDirectories(dir.resolve("inbox"));
    Path csv = Files.writeString(inbox.resolve("bad.csv"), "a,clicked\n1,1\n");
    Files.setLastModifiedTime(csv, FileTime.from(NOW.minus(Duration.ofMinutes(1))));

    CommandRun run = CommandRun.of(command(new ModelshipHome(dir.resolve("home"))), inbox.toString(), "--name",
        "clicks", "--label", "clicked", "--once");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("bad.csv: FAILED");
  }

  @Test
  void aFolderThatIsNotThereIsAUsageError() {
    CommandRun run = CommandRun.of(command(new ModelshipHome(dir)), dir.resolve("nope").toString(), "--name",
        "clicks", "--label", "clicked", "--once");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("is not a folder");
  }
}
