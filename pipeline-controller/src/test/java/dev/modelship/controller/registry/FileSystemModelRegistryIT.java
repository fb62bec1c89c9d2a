package dev.modelship.controller.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemModelRegistryIT {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir
  Path dir;

  private MutableClock clock;
  private Path root;
  private FileSystemModelRegistry registry;

  @BeforeEach
  void createRegistry() {
    clock = new MutableClock(T0);
    root = dir.resolve("registry");
    registry = new FileSystemModelRegistry(root, clock, Duration.ofHours(1));
  }

  @Test
  void publishesAVersionThatCanBeListedFoundAndFetchedIntact() throws Exception {
    ModelPackage pkg = TestPackages.pkg(dir.resolve("in"), "clicks", 1);

    ModelRegistry.PublishOutcome outcome = registry.publish(ModelVersionRef.parse("clicks:1"), pkg);

    assertThat(outcome.created()).isTrue();
    assertThat(outcome.version().digest()).isEqualTo(pkg.digest());
    assertThat(outcome.version().files()).isEqualTo(pkg.fileDigests());
    assertThat(outcome.version().publishedAt()).isEqualTo(T0);
    assertThat(registry.models()).containsExactly("clicks");
    assertThat(registry.versions("clicks")).containsExactly(outcome.version());
    assertThat(registry.find(ModelVersionRef.parse("clicks:1"))).contains(outcome.version());
    assertThat(registry.find(ModelVersionRef.parse("clicks:2"))).isEmpty();
    assertThat(root.resolve("clicks/1/version.json")).isRegularFile();
    ModelPackage fetched = registry.fetch(ModelVersionRef.parse("clicks:1"), dir.resolve("out"));
    assertThat(fetched.digest()).isEqualTo(pkg.digest());
    assertThat(Files.readAllBytes(fetched.modelFile())).isEqualTo(Files.readAllBytes(pkg.modelFile()));
  }

  @Test
  void republishingTheSameContentIsANoOpThatKeepsTheFirstPublishTime() throws Exception {
    ModelPackage pkg = TestPackages.pkg(dir.resolve("in"), "clicks", 1);
    registry.publish(ModelVersionRef.parse("clicks:1"), pkg);
    SortedMap<String, String> before = RegistryTree.snapshot(root);
    clock.advance(Duration.ofMinutes(5));

    ModelRegistry.PublishOutcome again = registry.publish(ModelVersionRef.parse("clicks:1"),
        TestPackages.pkg(dir.resolve("copy"), "clicks", 1));

    assertThat(again.created()).isFalse();
    assertThat(again.version().publishedAt()).isEqualTo(T0);
    assertThat(RegistryTree.snapshot(root)).isEqualTo(before);
  }

  @Test
  void refusesOtherContentUnderAPublishedVersionNamingBothDigestsAndChangesNothing() throws Exception {
    ModelPackage first = TestPackages.pkg(dir.resolve("first"), "clicks", 1);
    ModelPackage second = TestPackages.pkg(dir.resolve("second"), "clicks", 2);
    registry.publish(ModelVersionRef.parse("clicks:1"), first);
    SortedMap<String, String> before = RegistryTree.snapshot(root);

    assertThatThrownBy(() -> registry.publish(ModelVersionRef.parse("clicks:1"), second))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.CONFLICT);
          assertThat(e.getMessage()).contains("clicks:1").contains(first.digest()).contains(second.digest());
        });
    assertThat(RegistryTree.snapshot(root)).isEqualTo(before);
  }

  @Test
  void refusesAPackageWithABrokenManifestAndChangesNothing() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("good"), "clicks", 1));
    Path broken = TestPackages.folder(dir.resolve("broken"), "clicks", 2);
    Files.writeString(broken.resolve(ModelPackage.MANIFEST_FILE), "name: clicks\ntask: classification\n"
        + "inputs: [input]\noutputs: [output]\nthreshold: {accuracy_min: 0.7}\n");
    ModelPackage pkg = ModelPackage.fromDirectory(broken);
    SortedMap<String, String> before = RegistryTree.snapshot(root);

    assertThatThrownBy(() -> registry.publish(ModelVersionRef.parse("clicks:2"), pkg))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("unknown key 'threshold'");
        });
    assertThat(RegistryTree.snapshot(root)).isEqualTo(before);
  }

  @Test
  void refusesAPackageWhoseManifestNamesAnotherModel() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("good"), "clicks", 1));
    ModelPackage other = TestPackages.pkg(dir.resolve("other"), "ranker", 1);
    SortedMap<String, String> before = RegistryTree.snapshot(root);

    assertThatThrownBy(() -> registry.publish(ModelVersionRef.parse("clicks:2"), other))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("names model 'ranker'").contains("clicks:2");
        });
    assertThat(RegistryTree.snapshot(root)).isEqualTo(before);
  }

  @Test
  void refusesAPackageWhoseFileChangedAfterItWasReadAndLeavesNoTemporaryCopy() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("good"), "clicks", 1));
    ModelPackage pkg = TestPackages.pkg(dir.resolve("changing"), "clicks", 2);
    Files.writeString(pkg.file(ModelPackage.HOLDOUT_FILE), "a,b,c,y\n9,9,9,1\n");
    SortedMap<String, String> before = RegistryTree.snapshot(root);

    assertThatThrownBy(() -> registry.publish(ModelVersionRef.parse("clicks:2"), pkg))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("holdout.csv changed while it was being published");
        });
    assertThat(RegistryTree.snapshot(root)).isEqualTo(before);
  }

  @Test
  void aTargetThatCannotBeWrittenFailsAsUnavailableAndChangesNothing() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("good"), "clicks", 1));
    Files.writeString(root.resolve("ranker"), "a file where the model folder would go");
    ModelPackage pkg = TestPackages.pkg(dir.resolve("ranker"), "ranker", 1);
    SortedMap<String, String> before = RegistryTree.snapshot(root);

    assertThatThrownBy(() -> registry.publish(ModelVersionRef.parse("ranker:1"), pkg))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAVAILABLE);
          assertThat(e.getMessage()).contains("cannot publish ranker:1").contains(root.toString());
        });
    assertThat(RegistryTree.snapshot(root)).isEqualTo(before);
  }

  @Test
  void aTemporaryAreaThatCannotBeWrittenFailsAsUnavailableAndChangesNothing() throws Exception {
    Files.createDirectories(root);
    Files.writeString(root.resolve(FileSystemModelRegistry.TEMP_FOLDER), "not a folder");
    SortedMap<String, String> before = RegistryTree.snapshot(root);

    assertThatThrownBy(() -> registry.publish(ModelVersionRef.parse("clicks:1"),
        TestPackages.pkg(dir.resolve("in"), "clicks", 1)))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAVAILABLE));
    assertThat(RegistryTree.snapshot(root)).isEqualTo(before);
    assertThat(registry.models()).isEmpty();
  }

  @Test
  void leftoversOfACrashedPublishAreIgnoredAndRemovedOnceStale() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("v1"), "clicks", 1));
    Path stale = Files.createDirectories(root.resolve(".tmp/clicks-2-crashed"));
    Files.writeString(stale.resolve("model.onnx"), "half a model");
    Files.setLastModifiedTime(stale, FileTime.from(T0.minus(Duration.ofHours(2))));
    Path young = Files.createDirectories(root.resolve(".tmp/clicks-3-still-copying"));
    Files.setLastModifiedTime(young, FileTime.from(T0.minus(Duration.ofMinutes(10))));
    Files.createDirectories(root.resolve("clicks/7"));
    Files.writeString(root.resolve("clicks/7/model.onnx"), "a version folder without its record");

    assertThat(registry.models()).containsExactly("clicks");
    assertThat(registry.versions("clicks")).extracting(version -> version.ref().version()).containsExactly(1L);
    assertThat(registry.find(ModelVersionRef.parse("clicks:7"))).isEmpty();
    assertThat(ModelRegistries.nextVersion(registry, "clicks")).isEqualTo(2);

    registry.publish(ModelVersionRef.parse("clicks:2"), TestPackages.pkg(dir.resolve("v2"), "clicks", 2));

    assertThat(stale).doesNotExist();
    assertThat(young).isDirectory();
    assertThat(registry.versions("clicks")).extracting(version -> version.ref().version()).containsExactly(1L, 2L);
  }

  @Test
  void fetchRefusesAStoredFileThatNoLongerMatchesItsDigestAndLeavesNoPartialCopy() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("in"), "clicks", 1));
    Files.writeString(root.resolve("clicks/1/holdout.csv"), "tampered\n");
    Path target = dir.resolve("out");

    assertThatThrownBy(() -> registry.fetch(ModelVersionRef.parse("clicks:1"), target))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("clicks:1").contains("holdout.csv has digest");
        });
    assertThat(target).doesNotExist();
  }

  @Test
  void fetchIntoAnEmptyFolderWorksButANonEmptyOneIsRefusedUntouched() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("in"), "clicks", 1));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path busy = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(busy.resolve("notes.txt"), "mine");

    assertThat(registry.fetch(ModelVersionRef.parse("clicks:1"), empty).fileDigests()).hasSize(3);
    assertThatThrownBy(() -> registry.fetch(ModelVersionRef.parse("clicks:1"), busy))
        .hasMessageContaining("not empty");
    assertThat(Files.list(busy)).containsExactly(busy.resolve("notes.txt"));
    assertThatThrownBy(() -> registry.fetch(ModelVersionRef.parse("clicks:9"), dir.resolve("none")))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NOT_FOUND));
  }

  @Test
  void aDamagedVersionRecordIsReportedNotSkipped() throws Exception {
    registry.publish(ModelVersionRef.parse("clicks:1"), TestPackages.pkg(dir.resolve("in"), "clicks", 1));
    Path record = root.resolve("clicks/1/version.json");
    Files.writeString(record, Files.readString(record).replace("\"version\" : 1", "\"version\" : 4"));

    assertThatThrownBy(() -> registry.versions("clicks"))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID);
          assertThat(e.getMessage()).contains("damaged").contains("clicks:4").contains("clicks:1");
        });
  }

  @Test
  void versionsAreListedInNumericOrderAndNextVersionIsOneAboveTheHighest() throws Exception {
    assertThat(ModelRegistries.nextVersion(registry, "clicks")).isEqualTo(1);
    for (long version : new long[] {2, 10, 9}) {
      registry.publish(new ModelVersionRef("clicks", version),
          TestPackages.pkg(dir.resolve("v" + version), "clicks", (int) version));
    }

    assertThat(registry.versions("clicks")).extracting(v -> v.ref().version()).containsExactly(2L, 9L, 10L);
    assertThat(ModelRegistries.nextVersion(registry, "clicks")).isEqualTo(11);
    assertThat(registry.versions("absent")).isEmpty();
    assertThatThrownBy(() -> registry.versions("../etc")).hasMessageContaining("not a valid model name");
  }

  @Test
  void publishingAsNextVersionRepeatsNothingWhenTheNewestVersionHasTheSameContent() throws Exception {
    ModelPackage first = TestPackages.pkg(dir.resolve("a"), "clicks", 1);
    ModelPackage second = TestPackages.pkg(dir.resolve("b"), "clicks", 2);

    assertThat(ModelRegistries.publishAsNextVersion(registry, "clicks", first).version().ref().version()).isEqualTo(1);
    ModelRegistry.PublishOutcome repeat = ModelRegistries.publishAsNextVersion(registry, "clicks", first);
    ModelRegistry.PublishOutcome next = ModelRegistries.publishAsNextVersion(registry, "clicks", second);

    assertThat(repeat.created()).isFalse();
    assertThat(repeat.version().ref().version()).isEqualTo(1);
    assertThat(next.created()).isTrue();
    assertThat(next.version().ref().version()).isEqualTo(2);
  }

  @Test
  void concurrentThreadsPublishingTheSameVersionGetOneWinnerAndCleanConflicts() throws Exception {
    int publishers = 6;
    List<ModelPackage> packages = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      packages.add(TestPackages.pkg(dir.resolve("p" + i), "clicks", i % 2 == 0 ? 100 : i));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        // half the threads share one registry object, half open their own, as separate components would
        ModelRegistry own = i % 2 == 0 ? registry : new FileSystemModelRegistry(root, clock, Duration.ofHours(1));
        ModelPackage pkg = packages.get(i);
        results.add(pool.submit((Callable<Object>) () -> {
          start.await();
          try {
            return own.publish(ModelVersionRef.parse("clicks:1"), pkg);
          } catch (RegistryException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> result : results) {
        outcomes.add(result.get());
      }
      PublishedVersion stored = registry.find(ModelVersionRef.parse("clicks:1")).orElseThrow();
      for (int i = 0; i < publishers; i++) {
        Object outcome = outcomes.get(i);
        if (packages.get(i).digest().equals(stored.digest())) {
          assertThat(outcome).isInstanceOf(ModelRegistry.PublishOutcome.class);
        } else {
          assertThat(outcome).isInstanceOfSatisfying(RegistryException.class,
              e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.CONFLICT));
        }
      }
      assertThat(outcomes).filteredOn(o -> o instanceof ModelRegistry.PublishOutcome p && p.created()).hasSize(1);
      assertThat(registry.fetch(ModelVersionRef.parse("clicks:1"), dir.resolve("out")).digest())
          .isEqualTo(stored.digest());
      assertThat(Files.list(root.resolve(".tmp"))).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentThreadsPublishingNextVersionsEachGetTheirOwnNumber() throws Exception {
    int publishers = 4;
    int each = 3;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      List<Future<List<PublishedVersion>>> results = new ArrayList<>();
      for (int t = 0; t < publishers; t++) {
        List<ModelPackage> mine = new ArrayList<>();
        for (int i = 0; i < each; i++) {
          mine.add(TestPackages.pkg(dir.resolve("t" + t + "-" + i), "clicks", t * 100 + i));
        }
        ModelRegistry own = new FileSystemModelRegistry(root, clock, Duration.ofHours(1));
        results.add(pool.submit(() -> {
          start.await();
          List<PublishedVersion> created = new ArrayList<>();
          for (ModelPackage pkg : mine) {
            created.add(ModelRegistries.publishAsNextVersion(own, "clicks", pkg).version());
          }
          return created;
        }));
      }
      start.countDown();
      List<PublishedVersion> created = new ArrayList<>();
      for (Future<List<PublishedVersion>> result : results) {
        created.addAll(result.get());
      }

      assertThat(created).extracting(v -> v.ref().version()).doesNotHaveDuplicates()
          .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
      Map<Long, String> stored = new java.util.HashMap<>();
      registry.versions("clicks").forEach(v -> stored.put(v.ref().version(), v.digest()));
      created.forEach(v -> assertThat(stored).containsEntry(v.ref().version(), v.digest()));
    } finally {
      pool.shutdownNow();
    }
  }
}
