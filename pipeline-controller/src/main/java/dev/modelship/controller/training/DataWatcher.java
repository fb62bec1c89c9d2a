package dev.modelship.controller.training;

import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.validate.InvalidDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Trains a model version for every new CSV that appears in a folder, and pushes it when a pusher is given.
 * A file is taken once it is completely written: its size and modification time did not change between two
 * scans, or it was last modified at least {@code settle} ago (a file renamed into place is usually both).
 * Handled files are recorded in a {@link WatchState}; each package goes to
 * {@code <out>/<csv name>-<first 12 hex of its sha256>}, so after a crash between training and recording the
 * package already there is reused instead of trained again.
 */
public final class DataWatcher {
  /**
   * @param watchDir where CSV files arrive ({@code *.csv}; other names, such as {@code x.csv.partial}, are
   *     ignored until renamed)
   * @param outRoot where packages are written
   * @param stateFile which files were handled
   */
  public record Settings(Path watchDir, Path outRoot, Path stateFile, String name, String label,
                         TrainingOptions options, Duration settle) {
  }

  /** How a file looked at one scan. */
  record Observation(long size, long modifiedMillis) {
  }

  private final Settings settings;
  private final Trainer trainer;
  private final Optional<PackagePusher> pusher;
  private final Clock clock;
  private final Consumer<String> progress;
  private final Map<String, Observation> lastSeen = new HashMap<>();

  public DataWatcher(Settings settings, Trainer trainer, Optional<PackagePusher> pusher, Clock clock,
                     Consumer<String> progress) {
    this.settings = settings;
    this.trainer = trainer;
    this.pusher = pusher;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * Looks at the folder once, trains on every settled new file and retries pushes the registry could not
   * take before. Returns what it did, one entry per file handled in this scan.
   *
   * @throws IOException when the folder, the state file or a package folder cannot be read or written; the
   *     file at hand is not recorded, so the next scan tries it again
   */
  public List<WatchState.Entry> scanOnce() throws IOException {
    WatchState state = WatchState.load(settings.stateFile());
    List<WatchState.Entry> handled = new ArrayList<>();
    for (Path file : csvFiles()) {
      String fileName = file.getFileName().toString();
      Observation now = new Observation(Files.size(file), Files.getLastModifiedTime(file).toMillis());
      Observation before = lastSeen.put(fileName, now);
      Optional<WatchState.Entry> known = state.get(fileName);
      if (known.isPresent() && known.get().size() == now.size()
          && known.get().modifiedMillis() == now.modifiedMillis()) {
        if (known.get().status() == WatchState.Status.PUSH_FAILED && pusher.isPresent()) {
          record(state, handled, push(known.get()));
        }
        continue;
      }
      if (!isSettled(before, now, clock.instant(), settings.settle())) {
        continue;
      }
      String sha256 = ModelPackage.sha256(file);
      if (known.isPresent() && known.get().sha256().equals(sha256)) {
        state.put(known.get().seenAs(now.size(), now.modifiedMillis()));
        state.save();
        continue;
      }
      record(state, handled, handle(file, now, sha256));
    }
    return handled;
  }

  /** True when a file of {@code now}'s look is completely written. */
  static boolean isSettled(Observation before, Observation now, Instant clockNow, Duration settle) {
    if (now.size() == 0) {
      return false;
    }
    boolean unchanged = now.equals(before);
    boolean quietLongEnough = !Instant.ofEpochMilli(now.modifiedMillis()).plus(settle).isAfter(clockNow);
    return unchanged || quietLongEnough;
  }

  private static void record(WatchState state, List<WatchState.Entry> handled, WatchState.Entry entry)
      throws IOException {
    state.put(entry);
    state.save();
    handled.add(entry);
  }

  private WatchState.Entry handle(Path file, Observation seen, String sha256) throws IOException {
    String fileName = file.getFileName().toString();
    String stem = fileName.substring(0, fileName.length() - ".csv".length());
    Path packageDir = settings.outRoot().resolve(stem + "-" + sha256.substring("sha256:".length(),
        "sha256:".length() + 12));
    WatchState.Entry trained = new WatchState.Entry(fileName, seen.size(), seen.modifiedMillis(), sha256,
        WatchState.Status.TRAINED, packageDir.toString(), null, null);
    if (isPackage(packageDir)) {
      progress.accept(fileName + ": already trained into " + packageDir);
    } else {
      progress.accept(fileName + ": new data, training " + settings.name());
      try {
        trainer.train(file, settings.label(), settings.name(), settings.options().withOutput(packageDir));
      } catch (InvalidDataException e) {
        progress.accept(fileName + ": cannot train on it: " + e.getMessage());
        return trained.withStatus(WatchState.Status.FAILED, null, e.getMessage());
      }
    }
    return pusher.isPresent() ? push(trained) : trained;
  }

  private WatchState.Entry push(WatchState.Entry trained) {
    try {
      ModelPackage pkg = ModelPackage.fromDirectory(Path.of(trained.packageDirectory()));
      ModelVersionRef ref = pusher.orElseThrow().push(pkg);
      progress.accept(trained.file() + ": pushed as " + ref);
      return trained.withStatus(WatchState.Status.PUSHED, ref.toString(), null);
    } catch (RegistryException e) {
      boolean retry = e.kind() == RegistryException.Kind.UNAVAILABLE;
      progress.accept(trained.file() + ": push failed" + (retry ? " (retried on the next scan): " : ": ")
          + e.getMessage());
      return trained.withStatus(retry ? WatchState.Status.PUSH_FAILED : WatchState.Status.FAILED, null,
          "push failed: " + e.getMessage());
    }
  }

  private static boolean isPackage(Path dir) {
    try {
      ModelPackage.fromDirectory(dir);
      return true;
    } catch (RegistryException e) {
      return false;
    }
  }

  private List<Path> csvFiles() throws IOException {
    try (Stream<Path> entries = Files.list(settings.watchDir())) {
      return entries.filter(path -> {
        String fileName = path.getFileName().toString();
        return fileName.endsWith(".csv") && !fileName.startsWith(".") && Files.isRegularFile(path);
      }).sorted().toList();
    }
  }
}
