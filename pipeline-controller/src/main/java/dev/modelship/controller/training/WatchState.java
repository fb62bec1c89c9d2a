package dev.modelship.controller.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which data files a {@link DataWatcher} has handled, kept in a small JSON file so that a restarted watcher
 * does not train on them again. Written to a temporary file and moved into place: a crash leaves the old
 * state or the new one.
 */
public final class WatchState {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** What became of a data file. */
  public enum Status {
    /** Trained; no pusher configured. */
    TRAINED,
    /** Trained and pushed as {@link Entry#pushed()}. */
    PUSHED,
    /** Trained, but the registry could not be reached; the push is retried on the next scan. */
    PUSH_FAILED,
    /** The data cannot be trained on or the push was refused; only new content is tried again. */
    FAILED
  }

  /**
   * @param size bytes, and {@code modifiedMillis}: how the file looked when handled, to notice a change
   *     without reading it again
   * @param sha256 the content handled
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(String file, long size, long modifiedMillis, String sha256, Status status,
                      String packageDirectory, String pushed, String message) {
    Entry withStatus(Status newStatus, String newPushed, String newMessage) {
      return new Entry(file, size, modifiedMillis, sha256, newStatus, packageDirectory, newPushed, newMessage);
    }

    Entry seenAs(long newSize, long newModifiedMillis) {
      return new Entry(file, newSize, newModifiedMillis, sha256, status, packageDirectory, pushed, message);
    }
  }

  /** The JSON form. */
  record Stored(Map<String, Entry> files) {
  }

  private final Path file;
  private final Map<String, Entry> entries;

  private WatchState(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = new TreeMap<>(entries);
  }

  /** The state in {@code file}; empty when there is no file yet. */
  public static WatchState load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new WatchState(file, Map.of());
    }
    try {
      Stored stored = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
      return new WatchState(file, stored.files() == null ? Map.of() : stored.files());
    } catch (JsonProcessingException e) {
      throw new IOException(file + " is not a watch-data state file: " + e.getOriginalMessage(), e);
    }
  }

  public Optional<Entry> get(String fileName) {
    return Optional.ofNullable(entries.get(fileName));
  }

  public Map<String, Entry> entries() {
    return Map.copyOf(entries);
  }

  void put(Entry entry) {
    entries.put(entry.file(), entry);
  }

  void save() throws IOException {
    Path folder = Files.createDirectories(file.toAbsolutePath().getParent());
    Path partial = Files.createTempFile(folder, "." + file.getFileName() + "-", ".partial");
    try {
      Files.writeString(partial, JSON.writeValueAsString(new Stored(entries)), StandardCharsets.UTF_8);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
