package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.RegistryException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchStagingTest {
  @TempDir
  Path work;

  @Test
  void committedFilesAppearInAFolderThatDidNotExist() throws Exception {
    Path target = work.resolve("a/b/clicks-1");
    try (FetchStaging staging = FetchStaging.open(target)) {
      Files.writeString(staging.folder().resolve("model.onnx"), "bytes");
      assertThat(target).doesNotExist();
      staging.commit();
    }

    assertThat(TestPackages.contentsOf(work)).containsExactly("a", "a/b", "a/b/clicks-1", "a/b/clicks-1/model.onnx");
  }

  @Test
  void committedFilesMoveIntoAnEmptyFolder() throws Exception {
    Path target = Files.createDirectories(work.resolve("clicks-1"));
    try (FetchStaging staging = FetchStaging.open(target)) {
      Files.writeString(staging.folder().resolve("model.onnx"), "bytes");
      staging.commit();
    }

    assertThat(TestPackages.contentsOf(work)).containsExactly("clicks-1", "clicks-1/model.onnx");
  }

  @Test
  void anUncommittedFetchLeavesNothingNotEvenTheFoldersItCreated() throws Exception {
    Files.createDirectories(work.resolve("existing"));
    try (FetchStaging staging = FetchStaging.open(work.resolve("existing/new/deeper/clicks-1"))) {
      Files.writeString(staging.folder().resolve("model.onnx"), "half a file");
    }

    assertThat(TestPackages.contentsOf(work)).containsExactly("existing");
  }

  @Test
  void refusesATargetThatIsAFileOrHoldsFiles() throws Exception {
    Path file = Files.writeString(work.resolve("file"), "x");
    Path occupied = Files.createDirectories(work.resolve("occupied"));
    Files.writeString(occupied.resolve("keep.txt"), "x");

    for (Path target : new Path[] {file, occupied}) {
      assertThatThrownBy(() -> FetchStaging.open(target))
          .isInstanceOfSatisfying(RegistryException.class, TestPackages.kind(RegistryException.Kind.INVALID))
          .hasMessageContaining("it exists and is not an empty folder");
    }
    assertThat(TestPackages.contentsOf(work)).containsExactly("file", "occupied", "occupied/keep.txt");
  }
}
