package dev.modelship.controller.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code version.json} next to a version's files in a {@link FileSystemModelRegistry}: what was published and when.
 * It is written inside the temporary folder before that folder is renamed into place, so a version folder without
 * it never becomes visible.
 */
record VersionRecord(
    @JsonProperty("name") String name,
    @JsonProperty("version") long version,
    @JsonProperty("digest") String digest,
    @JsonProperty("files") Map<String, String> files,
    @JsonProperty("published_at") String publishedAt) {

  static final String FILE_NAME = "version.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static VersionRecord of(PublishedVersion version) {
    return new VersionRecord(version.ref().name(), version.ref().version(), version.digest(),
        new TreeMap<>(version.files()), version.publishedAt().toString());
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + FILE_NAME, e);
    }
  }

  /** Reads and checks a version folder's record against where it lies. */
  static PublishedVersion read(Path file, ModelVersionRef expected) throws RegistryException {
    VersionRecord record;
    try {
      record = JSON.readValue(Files.readAllBytes(file), VersionRecord.class);
    } catch (IOException e) {
      throw corrupt(file, "cannot be read: " + e.getMessage());
    }
    if (record == null || record.digest() == null || record.files() == null || record.publishedAt() == null) {
      throw corrupt(file, "lacks digest, files or published_at");
    }
    if (!expected.name().equals(record.name()) || expected.version() != record.version()) {
      throw corrupt(file, "describes " + record.name() + ":" + record.version() + " but lies in the folder of "
          + expected);
    }
    if (!ModelPackage.digestOf(record.files()).equals(record.digest())) {
      throw corrupt(file, "digest " + record.digest() + " does not match its file digests");
    }
    Instant publishedAt;
    try {
      publishedAt = Instant.parse(record.publishedAt());
    } catch (java.time.format.DateTimeParseException e) {
      throw corrupt(file, "published_at '" + record.publishedAt() + "' is not an ISO-8601 instant");
    }
    return new PublishedVersion(expected, record.digest(), record.files(), publishedAt);
  }

  private static RegistryException corrupt(Path file, String problem) {
    return new RegistryException(RegistryException.Kind.INVALID, "registry entry is damaged: " + file + " " + problem);
  }
}
