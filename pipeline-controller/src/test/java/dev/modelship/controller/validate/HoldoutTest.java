package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldoutTest {
  @TempDir
  Path dir;

  private static ModelManifest manifest(List<String> features, String label, List<String> classes) {
    return new ModelManifest("m", ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), label,
        features, classes, null, null, null, null, null);
  }

  @Test
  void arrangesTheColumnsInTheManifestsFeatureOrder() throws Exception {
    Path csv = Files.writeString(dir.resolve("holdout.csv"), "b,label,a\n2,yes,1\n20,no,10\n");

    Holdout holdout = Holdout.read(csv, manifest(List.of("a", "b"), "label", List.of("no", "yes")));

    assertThat(holdout.features()).isDeepEqualTo(new double[][] {{1, 2}, {10, 20}});
    assertThat(holdout.labels()).containsExactly("yes", "no");
    assertThat(holdout.lines()).containsExactly(2, 3);
    assertThat(holdout.classIndices(List.of("no", "yes"))).containsExactly(1, 0);
  }

  @Test
  void aHoldoutWithoutTheManifestsColumnsNamesThem() throws Exception {
    Path csv = Files.writeString(dir.resolve("holdout.csv"), "a,c,target\n1,2,0\n");

    assertThatThrownBy(() -> Holdout.read(csv, manifest(List.of("a", "b"), "label", List.of("0", "1"))))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageContaining("lacks column(s) [b, label]")
        .hasMessageContaining("holdout columns: [a, c, target]");
  }

  @Test
  void aLabelOutsideTheClassesNamesItsLine() throws Exception {
    Path csv = Files.writeString(dir.resolve("holdout.csv"), "a,label\n1,0\n2,maybe\n");
    Holdout holdout = Holdout.read(csv, manifest(List.of("a"), "label", List.of("0", "1")));

    assertThatThrownBy(() -> holdout.classIndices(List.of("0", "1")))
        .hasMessage("holdout line 3: label 'maybe' is not one of the model's classes [0, 1]");
  }

  @Test
  void regressionLabelsMustBeNumbers() throws Exception {
    Path csv = Files.writeString(dir.resolve("holdout.csv"), "a,y\n1,2.5\n2,high\n");
    Holdout holdout = Holdout.read(csv, manifest(List.of("a"), "y", List.of()));

    assertThatThrownBy(holdout::numericLabels).hasMessageContaining("holdout line 3: label 'high' is not a finite");
  }

  @Test
  void aHoldoutWithoutRowsIsRefused() throws Exception {
    Path csv = Files.writeString(dir.resolve("holdout.csv"), "a,label\n");

    assertThatThrownBy(() -> Holdout.read(csv, manifest(List.of("a"), "label", List.of("0", "1"))))
        .hasMessageContaining("has a header but no rows");
  }
}
