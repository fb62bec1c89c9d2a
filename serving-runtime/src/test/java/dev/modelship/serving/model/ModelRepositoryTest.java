package dev.modelship.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryTest {
  @TempDir
  Path repo;

  private Path version(String model, String version) throws IOException {
    Path dir = Files.createDirectories(repo.resolve(model).resolve(version));
    Files.write(dir.resolve("model.onnx"), new byte[] {1});
    return dir;
  }

  private String scanned() throws ModelLoadException {
    return new ModelRepository(repo).scan().stream()
        .map(source -> source.name() + ":" + source.version()).toList().toString();
  }

  @Test
  void servesTheNewestVersionOfEachModelByDefault() throws Exception {
    version("clicks", "1");
    version("clicks", "10");
    version("clicks", "2");
    version("churn", "3");
    assertThat(scanned()).isEqualTo("[churn:3, clicks:10]");
  }

  @Test
  void servesAllOrListedVersionsWhenThePolicySaysSo() throws Exception {
    version("a", "1");
    version("a", "2");
    version("b", "1");
    version("b", "2");
    version("b", "3");
    Files.writeString(repo.resolve("a/model.yaml"), "version_policy: all\n");
    Files.writeString(repo.resolve("b/model.yaml"), "version_policy: [3, 1]\n");
    assertThat(scanned()).isEqualTo("[a:1, a:2, b:1, b:3]");
  }

  @Test
  void mergesModelAndVersionConfig() throws Exception {
    Path v1 = version("a", "1");
    Files.writeString(repo.resolve("a/model.yaml"), "max_batch_size: 8\ndevice: cpu\n");
    Files.writeString(v1.resolve("model.yaml"), "max_batch_size: 0\n");
    ModelConfig config = new ModelRepository(repo).scan().get(0).config();
    assertThat(config.explicitMaxBatchSize()).contains(0);
    assertThat(config.device()).isEqualTo("cpu");
  }

  @Test
  void ignoresFoldersThatAreNotVersionNumbersAndHiddenEntries() throws Exception {
    version("a", "1");
    Files.createDirectories(repo.resolve("a/latest"));
    Files.createDirectories(repo.resolve("a/007"));
    Files.createDirectories(repo.resolve(".git/1"));
    Files.writeString(repo.resolve("README.md"), "models");
    assertThat(scanned()).isEqualTo("[a:1]");
  }

  @Test
  void reportsAVersionFolderWithoutModelFile() throws Exception {
    version("a", "1");
    Files.createDirectories(repo.resolve("a/2"));
    assertThatThrownBy(this::scanned).hasMessageContaining("model 'a' version 2 has no model.onnx");
  }

  @Test
  void reportsInvalidModelNames() throws Exception {
    version("bad name", "1");
    assertThatThrownBy(this::scanned).hasMessageContaining("'bad name'").hasMessageContaining("not a valid model name");
  }

  @Test
  void reportsAListedVersionThatIsMissing() throws Exception {
    version("a", "1");
    Files.writeString(repo.resolve("a/model.yaml"), "version_policy: [2]\n");
    assertThatThrownBy(this::scanned).hasMessageContaining("asks for version 2 but the repository has only [1]");
  }

  @Test
  void reportsAnEmptyRepositoryAndAModelWithoutVersions() throws Exception {
    assertThatThrownBy(this::scanned).hasMessageContaining("no models in");
    Files.createDirectories(repo.resolve("a"));
    assertThatThrownBy(this::scanned).hasMessageContaining("model 'a' has no version folders");
  }

  @Test
  void reportsARepositoryThatIsNotADirectory() {
    assertThatThrownBy(() -> new ModelRepository(repo.resolve("nope")).scan())
        .hasMessageContaining("is not a directory");
  }

  @Test
  void refusesAVersionPolicyInAVersionFolder() throws Exception {
    Path v1 = version("a", "1");
    Files.writeString(v1.resolve("model.yaml"), "version_policy: all\n");
    assertThatThrownBy(this::scanned).hasMessageContaining("version_policy belongs in the model folder");
  }

  @Test
  void modelNamesRejectPathTricks() {
    assertThat(ModelNames.isValidName("clicks-v2_final.1")).isTrue();
    assertThat(ModelNames.isValidName("..")).isFalse();
    assertThat(ModelNames.isValidName("a..b")).isFalse();
    assertThat(ModelNames.isValidName("a/b")).isFalse();
    assertThat(ModelNames.isValidName(".hidden")).isFalse();
    assertThat(ModelNames.isValidName("%2e%2e")).isFalse();
    assertThat(ModelNames.parseVersion("12")).contains(12L);
    assertThat(ModelNames.parseVersion("012")).isEmpty();
    assertThat(ModelNames.parseVersion("-1")).isEmpty();
    assertThat(ModelNames.parseVersion("99999999999999999999")).isEmpty();
  }
}
