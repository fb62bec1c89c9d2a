package dev.modelship.controller.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelVersionRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Validation reports on disk, {@code <validations>/<name>/<version>.json}. A report is written to a temporary
 * file and moved into place, so a reader sees the old report or the new one, never half of one.
 */
public final class ValidationStore {
  private final Path root;

  public ValidationStore(Path root) {
    this.root = root;
  }

  public static ValidationStore in(ModelshipHome home) {
    return new ValidationStore(home.validations());
  }

  public Path file(ModelVersionRef ref) {
    return root.resolve(ref.name()).resolve(ref.versionText() + ".json");
  }

  /** Stores the report as {@code ref}'s, replacing an earlier one; returns the file. */
  public Path save(ModelVersionRef ref, ValidationReport report) throws IOException {
    ValidationReport filed = report.withVersion(ref);
    Path target = file(ref);
    Path folder = Files.createDirectories(target.getParent());
    Path partial = Files.createTempFile(folder, "." + ref.versionText() + "-", ".json.partial");
    try {
      Files.writeString(partial, filed.toJson(), StandardCharsets.UTF_8);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    return target;
  }

  public Optional<ValidationReport> find(ModelVersionRef ref) throws IOException {
    Path file = file(ref);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ValidationReport.fromJson(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not a validation report: " + e.getOriginalMessage(), e);
    }
  }
}
