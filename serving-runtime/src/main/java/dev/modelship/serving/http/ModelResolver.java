package dev.modelship.serving.http;

import dev.modelship.serving.model.ModelNames;
import dev.modelship.serving.protocol.ApiException;
import java.util.NavigableMap;
import java.util.Optional;

/** Finds the served model version a request names; unknown names and versions are 404, malformed ones 400. */
final class ModelResolver {
  private final ServerState state;

  ModelResolver(ServerState state) {
    this.state = state;
  }

  /** @param versionText the version from the path, or null for the newest served version */
  ServedModel resolve(String name, String versionText) {
    NavigableMap<Long, ServedModel> versions = versions(name);
    if (versionText == null) {
      return versions.lastEntry().getValue();
    }
    Optional<Long> version = ModelNames.parseVersion(versionText);
    if (version.isEmpty()) {
      throw ApiException.badRequest("model version '" + versionText + "' is not a version number");
    }
    ServedModel served = versions.get(version.get());
    if (served == null) {
      throw ApiException.notFound("model '" + name + "' has no version " + versionText + " (serving versions "
          + versions.keySet() + ")");
    }
    return served;
  }

  NavigableMap<Long, ServedModel> versions(String name) {
    if (!ModelNames.isValidName(name)) {
      throw ApiException.badRequest("'" + name + "' is not a valid model name");
    }
    NavigableMap<Long, ServedModel> versions = state.models().versions(name);
    if (versions == null) {
      if (!state.loaded()) {
        throw ApiException.unavailable("server is not ready: models are still loading");
      }
      throw ApiException.notFound("unknown model '" + name + "' (serving: "
          + String.join(", ", state.models().names()) + ")");
    }
    return versions;
  }
}
