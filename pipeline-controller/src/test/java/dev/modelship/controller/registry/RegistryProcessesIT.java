package dev.modelship.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishers in separate JVMs: the file lock, not only the in-JVM lock, keeps the registry whole. */
class RegistryProcessesIT {
  private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopProcesses() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void twoProcessesPublishingNextVersionsAtOnceGetDistinctNumbersAndAWholeRegistry() throws Exception {
    Path root = dir.resolve("registry");
    int each = 4;
    List<List<String>> packageDirs = List.of(new ArrayList<>(), new ArrayList<>());
    Map<String, String> digestToProcess = new HashMap<>();
    for (int p = 0; p < 2; p++) {
      for (int i = 0; i < each; i++) {
        Path pkgDir = TestPackages.folder(dir.resolve("p" + p + "-" + i), "clicks", p * 100 + i);
        packageDirs.get(p).add(pkgDir.toString());
        digestToProcess.put(ModelPackage.fromDirectory(pkgDir).digest(), "p" + p);
      }
    }
    Path go = dir.resolve("go");
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      List<String> args = new ArrayList<>(List.of(root.toString(), "clicks", dir.resolve("ready" + p).toString(),
          go.toString(), "next"));
      args.addAll(packageDirs.get(p));
      processes.add(start(args));
    }
    await().atMost(PROCESS_TIMEOUT).until(() -> Files.exists(dir.resolve("ready0")) && Files.exists(dir.resolve("ready1")));
    Files.createFile(go);

    List<String> lines = new ArrayList<>();
    for (Process process : processes) {
      lines.addAll(finish(process));
    }

    assertThat(lines).hasSize(2 * each).allMatch(line -> line.startsWith("created clicks:"));
    FileSystemModelRegistry registry = new FileSystemModelRegistry(root);
    List<PublishedVersion> versions = registry.versions("clicks");
    assertThat(versions).extracting(v -> v.ref().version()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(versions).extracting(PublishedVersion::digest).doesNotHaveDuplicates()
        .allMatch(digestToProcess::containsKey);
    for (PublishedVersion version : versions) {
      assertThat(lines).contains("created " + version.ref() + " " + version.digest());
      assertThat(registry.fetch(version.ref(), dir.resolve("fetched-" + version.ref().version())).digest())
          .isEqualTo(version.digest());
    }
    try (Stream<Path> leftovers = Files.list(root.resolve(FileSystemModelRegistry.TEMP_FOLDER))) {
      assertThat(leftovers).isEmpty();
    }
  }

  @Test
  void twoProcessesPublishingTheSameVersionWithDifferentContentGetOneWinnerAndOneConflict() throws Exception {
    Path root = dir.resolve("registry");
    Path go = dir.resolve("go");
    Path first = TestPackages.folder(dir.resolve("a"), "clicks", 1);
    Path second = TestPackages.folder(dir.resolve("b"), "clicks", 2);
    Process a = start(List.of(root.toString(), "clicks", dir.resolve("ready0").toString(), go.toString(), "as", "1",
        first.toString()));
    Process b = start(List.of(root.toString(), "clicks", dir.resolve("ready1").toString(), go.toString(), "as", "1",
        second.toString()));
    await().atMost(PROCESS_TIMEOUT).until(() -> Files.exists(dir.resolve("ready0")) && Files.exists(dir.resolve("ready1")));
    Files.createFile(go);

    List<String> lines = new ArrayList<>(finish(a));
    lines.addAll(finish(b));

    PublishedVersion stored = new FileSystemModelRegistry(root).find(ModelVersionRef.parse("clicks:1")).orElseThrow();
    assertThat(lines).containsExactlyInAnyOrder("created clicks:1 " + stored.digest(),
        "conflict clicks:1 " + (stored.digest().equals(ModelPackage.fromDirectory(first).digest())
            ? ModelPackage.fromDirectory(second).digest() : ModelPackage.fromDirectory(first).digest()));
  }

  @Test
  void aPublisherKilledBeforeItsRenameLeavesTheRegistryAsItWasApartFromAnIgnoredLeftover() throws Exception {
    Path root = dir.resolve("registry");
    MutableClock clock = new MutableClock(Instant.now());
    FileSystemModelRegistry registry = new FileSystemModelRegistry(root, clock, Duration.ofHours(1));
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("v1"), "clicks", 1));
    Path v2 = TestPackages.folder(dir.resolve("v2"), "clicks", 2);
    Path temporaryArea = root.resolve(FileSystemModelRegistry.TEMP_FOLDER);
    SortedMap<String, String> before = withoutTemporaryArea(RegistryTree.snapshot(root));
    Path go = dir.resolve("go");
    Files.createFile(go);

    try (FileChannel channel = FileChannel.open(root.resolve(FileSystemModelRegistry.LOCK_FILE),
        StandardOpenOption.WRITE)) {
      FileLock held = channel.lock();
      Process publisher = start(List.of(root.toString(), "clicks", dir.resolve("ready").toString(), go.toString(),
          "as", "2", v2.toString()));
      // the publisher has staged everything and now waits for the lock this test holds
      await().atMost(PROCESS_TIMEOUT).until(() -> stagedRecords(temporaryArea) == 1);
      assertThat(registry.find(ModelVersionRef.parse("clicks:2"))).isEmpty();
      publisher.destroyForcibly();
      assertThat(publisher.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      held.release();
    }

    assertThat(withoutTemporaryArea(RegistryTree.snapshot(root))).isEqualTo(before);
    assertThat(registry.versions("clicks")).extracting(v -> v.ref().version()).containsExactly(1L);
    assertThat(ModelRegistries.nextVersion(registry, "clicks")).isEqualTo(2);

    clock.advance(Duration.ofHours(2));
    ModelRegistry.PublishOutcome retried = registry.publish(ModelVersionRef.parse("clicks:2"),
        ModelPackage.fromDirectory(v2));

    assertThat(retried.created()).isTrue();
    try (Stream<Path> leftovers = Files.list(temporaryArea)) {
      assertThat(leftovers).as("the crashed publish's leftover is removed once stale").isEmpty();
    }
  }

  private static long stagedRecords(Path temporaryArea) throws IOException {
    if (!Files.isDirectory(temporaryArea)) {
      return 0;
    }
    try (Stream<Path> staged = Files.list(temporaryArea)) {
      return staged.filter(folder -> Files.exists(folder.resolve(VersionRecord.FILE_NAME))).count();
    }
  }

  private static SortedMap<String, String> withoutTemporaryArea(SortedMap<String, String> tree) {
    tree.keySet().removeIf(path -> path.startsWith(FileSystemModelRegistry.TEMP_FOLDER + "/"));
    return tree;
  }

  private Process start(List<String> args) throws IOException {
    Process process = new ProcessBuilder(PublisherProcess.command(args.toArray(String[]::new)))
        .redirectErrorStream(true).start();
    started.add(process);
    return process;
  }

  private static List<String> finish(Process process) throws Exception {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output.lines().filter(line -> line.matches("(created|unchanged|conflict) .*")).toList();
  }
}
