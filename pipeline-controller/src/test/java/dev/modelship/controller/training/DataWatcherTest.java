package dev.modelship.controller.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.training.DataWatcher.Observation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataWatcherTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration SETTLE = Duration.ofSeconds(10);

  @TempDir
  Path dir;
  Path inbox;
  Path packages;
  Path stateFile;
  final MutableClock clock = new MutableClock(NOW);
  final List<String> progress = new ArrayList<>();
  final List<ModelPackage> pushed = new ArrayList<>();

  @BeforeEach
  void folders() throws IOException {
    inbox = Files.createDirectories(dir.resolve("inbox"));
    packages = dir.resolve("packages");
    stateFile = dir.resolve("state/watch-data/clicks.json");
  }

  private DataWatcher watcher(Optional<PackagePusher> pusher) {
    DataWatcher.Settings settings = new DataWatcher.Settings(inbox, packages, stateFile, "clicks", "clicked",
        TrainingOptions.defaults().withEpochs(2), SETTLE);
    return new DataWatcher(settings, new Trainer(progress::add), pusher, clock, progress::add);
  }

  private DataWatcher watcher() {
    return watcher(Optional.empty());
  }

  private final PackagePusher registry = pkg -> {
    pushed.add(pkg);
    return new ModelVersionRef("clicks", pushed.size());
  };

  /** A click CSV last modified {@code age} before the test's now. */
  private Path clicks(String name, long seed, Duration age) throws IOException {
    Path file = inbox.resolve(name);
    ClickData.writeCsv(file, ClickData.generate(seed, 300, 0));
    Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
    return file;
  }

  private List<Path> packageFolders() throws IOException {
    if (!Files.isDirectory(packages)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(packages)) {
      return entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
  }

  @Test
  void trainsOnAFileLastModifiedLongerAgoThanTheSettleTime() throws Exception {
    Path file = clicks("day1.csv", 1, Duration.ofMinutes(5));

    List<WatchState.Entry> handled = watcher().scanOnce();

    assertThat(handled).singleElement().satisfies(entry -> {
      assertThat(entry.file()).isEqualTo("day1.csv");
      assertThat(entry.status()).isEqualTo(WatchState.Status.TRAINED);
      assertThat(entry.sha256()).isEqualTo(ModelPackage.sha256(file));
      assertThat(Path.of(entry.packageDirectory()).getFileName().toString())
          .isEqualTo("day1-" + entry.sha256().substring(7, 19));
    });
    assertThat(ModelPackage.fromDirectory(Path.of(handled.get(0).packageDirectory())).hasHoldout()).isTrue();
    assertThat(WatchState.load(stateFile).get("day1.csv")).isPresent();
  }

  @Test
  void aFreshFileIsTakenOnceItsSizeHeldStillBetweenTwoScans() throws Exception {
    clicks("day1.csv", 1, Duration.ZERO);
    DataWatcher watcher = watcher();

    assertThat(watcher.scanOnce()).isEmpty();
    assertThat(watcher.scanOnce()).singleElement().extracting(WatchState.Entry::status)
        .isEqualTo(WatchState.Status.TRAINED);
  }

  @Test
  void aFileStillBeingWrittenWaitsUntilItStopsGrowing() throws Exception {
    Path file = inbox.resolve("day1.csv");
    Files.writeString(file, "user_age,clicked\n");
    Files.setLastModifiedTime(file, FileTime.from(NOW));
    DataWatcher watcher = watcher();
    assertThat(watcher.scanOnce()).isEmpty();

    ClickData.writeCsv(file, ClickData.generate(1, 300, 0));
    Files.setLastModifiedTime(file, FileTime.from(NOW));
    assertThat(watcher.scanOnce()).isEmpty();

    assertThat(watcher.scanOnce()).hasSize(1);
  }

  @Test
  void ignoresOtherNamesUntilAFileIsRenamedIntoPlace() throws Exception {
    Path partial = clicks("day1.csv.partial", 1, Duration.ofMinutes(5));
    assertThat(watcher().scanOnce()).isEmpty();

    Files.move(partial, inbox.resolve("day1.csv"), StandardCopyOption.ATOMIC_MOVE);

    assertThat(watcher().scanOnce()).singleElement().extracting(WatchState.Entry::file).isEqualTo("day1.csv");
  }

  @Test
  void aRestartedWatcherDoesNotTrainOnFilesItHandledBefore() throws Exception {
    clicks("day1.csv", 1, Duration.ofMinutes(5));
    assertThat(watcher().scanOnce()).hasSize(1);

    clicks("day2.csv", 2, Duration.ofMinutes(5));
    List<WatchState.Entry> afterRestart = watcher().scanOnce();

    assertThat(afterRestart).extracting(WatchState.Entry::file).containsExactly("day2.csv");
    assertThat(packageFolders()).hasSize(2);
  }

  @Test
  void aTouchedFileWithTheSameContentIsNotTrainedAgain() throws Exception {
    Path file = clicks("day1.csv", 1, Duration.ofMinutes(5));
    watcher().scanOnce();

    Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofMinutes(1))));

    assertThat(watcher().scanOnce()).isEmpty();
    assertThat(WatchState.load(stateFile).get("day1.csv").orElseThrow().modifiedMillis())
        .isEqualTo(NOW.minus(Duration.ofMinutes(1)).toEpochMilli());
  }

  @Test
  void newContentUnderTheSameNameIsTrainedIntoItsOwnPackage() throws Exception {
    clicks("latest.csv", 1, Duration.ofMinutes(5));
    watcher().scanOnce();

    clicks("latest.csv", 2, Duration.ofMinutes(4));

    assertThat(watcher().scanOnce()).hasSize(1);
    assertThat(packageFolders()).hasSize(2);
  }

  @Test
  void pushesEachTrainedPackageAndRecordsTheVersion() throws Exception {
    clicks("day1.csv", 1, Duration.ofMinutes(5));

    List<WatchState.Entry> handled = watcher(Optional.of(registry)).scanOnce();

    assertThat(handled).singleElement().satisfies(entry -> {
      assertThat(entry.status()).isEqualTo(WatchState.Status.PUSHED);
      assertThat(entry.pushed()).isEqualTo("clicks:1");
    });
    assertThat(pushed).singleElement().extracting(ModelPackage::directory)
        .isEqualTo(Path.of(handled.get(0).packageDirectory()));
  }

  @Test
  void aPushTheRegistryCouldNotTakeIsRetriedOnTheNextScanWithoutTrainingAgain() throws Exception {
    clicks("day1.csv", 1, Duration.ofMinutes(5));
    boolean[] down = {true};
    PackagePusher flaky = pkg -> {
      if (down[0]) {
        throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "connection refused");
      }
      return registry.push(pkg);
    };
    DataWatcher watcher = watcher(Optional.of(flaky));

    assertThat(watcher.scanOnce()).singleElement().satisfies(entry -> {
      assertThat(entry.status()).isEqualTo(WatchState.Status.PUSH_FAILED);
      assertThat(entry.message()).contains("connection refused");
    });
    down[0] = false;
    progress.clear();

    assertThat(watcher.scanOnce()).singleElement().extracting(WatchState.Entry::status)
        .isEqualTo(WatchState.Status.PUSHED);
    assertThat(progress).noneMatch(line -> line.contains("training"));
    assertThat(pushed).hasSize(1);
  }

  @Test
  void dataThatCannotBeTrainedOnIsRecordedAndNotTriedAgainUntilItChanges() throws Exception {
    Path file = inbox.resolve("broken.csv");
    Files.writeString(file, "user_age,clicked\n30,1\n");
    Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofMinutes(5))));

    assertThat(watcher().scanOnce()).singleElement().satisfies(entry -> {
      assertThat(entry.status()).isEqualTo(WatchState.Status.FAILED);
      assertThat(entry.message()).contains("single class");
    });
    assertThat(watcher().scanOnce()).isEmpty();

    clicks("broken.csv", 1, Duration.ofMinutes(1));
    assertThat(watcher().scanOnce()).singleElement().extracting(WatchState.Entry::status)
        .isEqualTo(WatchState.Status.TRAINED);
  }

  @Test
  void reusesThePackageOfACrashBetweenTrainingAndRecording() throws Exception {
    clicks("day1.csv", 1, Duration.ofMinutes(5));
    Path trained = Path.of(watcher().scanOnce().get(0).packageDirectory());
    FileTime written = Files.getLastModifiedTime(trained.resolve("model.onnx"));
    Files.delete(stateFile);
    progress.clear();

    List<WatchState.Entry> handled = watcher(Optional.of(registry)).scanOnce();

    assertThat(handled).singleElement().extracting(WatchState.Entry::status).isEqualTo(WatchState.Status.PUSHED);
    assertThat(progress).anyMatch(line -> line.contains("already trained into " + trained));
    assertThat(Files.getLastModifiedTime(trained.resolve("model.onnx"))).isEqualTo(written);
  }

  @Test
  void settledMeansNonEmptyAndEitherUnchangedSinceTheLastScanOrQuietForTheSettleTime() {
    Observation now = new Observation(100, NOW.toEpochMilli());

    assertThat(DataWatcher.isSettled(null, now, NOW, SETTLE)).isFalse();
    assertThat(DataWatcher.isSettled(now, now, NOW, SETTLE)).isTrue();
    assertThat(DataWatcher.isSettled(new Observation(50, NOW.toEpochMilli()), now, NOW, SETTLE)).isFalse();
    assertThat(DataWatcher.isSettled(null, now, NOW.plus(SETTLE), SETTLE)).isTrue();
    assertThat(DataWatcher.isSettled(null, new Observation(0, 0), NOW, SETTLE)).isFalse();
  }
}
