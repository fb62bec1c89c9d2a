package dev.modelship.controller.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@link RegistryWatcher} has handed on, as kept in its state file: version ({@code name:version}) to the
 * digest it had. A value; {@link #with} returns a new one.
 */
record WatcherState(
    @JsonProperty("registry") String registry,
    @JsonProperty("first_started_at") String firstStartedAt,
    @JsonProperty("handed_on") Map<String, String> handedOn) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  WatcherState {
    handedOn = handedOn == null ? Map.of() : Map.copyOf(handedOn);
  }

  static WatcherState firstStart(String registry, Instant now, Map<String, String> alreadyThere) {
    return new WatcherState(registry, now.toString(), alreadyThere);
  }

  boolean wasHandedOn(ModelVersionPublished event) {
    return event.digest().equals(handedOn.get(event.ref().toString()));
  }

  WatcherState with(ModelVersionPublished event) {
    Map<String, String> next = new TreeMap<>(handedOn);
    next.put(event.ref().toString(), event.digest());
    return new WatcherState(registry, firstStartedAt, next);
  }

  /** The saved state, or empty when the watcher never started before. */
  static Optional<WatcherState> load(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    WatcherState state = JSON.readValue(bytes, WatcherState.class);
    if (state == null || state.registry() == null) {
      throw new IOException(file + " is not a registry watcher state file");
    }
    return Optional.of(state);
  }

  void save(Path file) throws IOException {
    DurableFiles.replaceAtomically(file, JSON.writeValueAsBytes(new WatcherState(registry, firstStartedAt,
        new TreeMap<>(handedOn))));
  }
}
