package dev.modelship.serving.http;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The served model versions by name, newest version last. Immutable. */
public final class ServedModels {
  public static final ServedModels NONE = new ServedModels(List.of());

  private final Map<String, NavigableMap<Long, ServedModel>> byName;

  public ServedModels(Collection<ServedModel> models) {
    Map<String, NavigableMap<Long, ServedModel>> map = new TreeMap<>();
    for (ServedModel served : models) {
      map.computeIfAbsent(served.model().name(), name -> new TreeMap<>()).put(served.model().version(), served);
    }
    map.replaceAll((name, versions) -> Collections.unmodifiableNavigableMap(versions));
    this.byName = Collections.unmodifiableMap(map);
  }

  /** Versions of {@code name}, oldest first; null when no such model is served. */
  public NavigableMap<Long, ServedModel> versions(String name) {
    return byName.get(name);
  }

  public Collection<String> names() {
    return byName.keySet();
  }

  public List<ServedModel> all() {
    return byName.values().stream().flatMap(versions -> versions.values().stream()).toList();
  }
}
