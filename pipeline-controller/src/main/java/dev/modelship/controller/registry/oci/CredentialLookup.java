package dev.modelship.controller.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the credentials for a registry, first match wins: the options, then {@code MODELSHIP_REGISTRY_USERNAME} and
 * {@code MODELSHIP_REGISTRY_PASSWORD}, then the {@code auths} entry for the registry's host in the Docker config
 * file ({@code docker login} writes it). Credential helpers ({@code credsStore}) are not run.
 */
final class CredentialLookup {
  static final String USERNAME_VARIABLE = "MODELSHIP_REGISTRY_USERNAME";
  static final String PASSWORD_VARIABLE = "MODELSHIP_REGISTRY_PASSWORD";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CredentialLookup() {
  }

  static Optional<RegistryCredentials> find(OciRegistryAddress address, OciRegistryOptions options,
      Map<String, String> environment, Path dockerConfig) throws RegistryException {
    if (options.username() != null) {
      return Optional.of(new RegistryCredentials(options.username(), options.password(), "the registry options"));
    }
    String username = environment.get(USERNAME_VARIABLE);
    String password = environment.get(PASSWORD_VARIABLE);
    if (username != null || password != null) {
      if (username == null || password == null) {
        throw new RegistryException(RegistryException.Kind.INVALID, "set both " + USERNAME_VARIABLE + " and "
            + PASSWORD_VARIABLE + ", or neither; only " + (username == null ? PASSWORD_VARIABLE : USERNAME_VARIABLE)
            + " is set");
      }
      return Optional.of(new RegistryCredentials(username, password, "$" + USERNAME_VARIABLE));
    }
    return dockerConfig != null && Files.isRegularFile(dockerConfig)
        ? fromDockerConfig(address, dockerConfig) : Optional.empty();
  }

  private static Optional<RegistryCredentials> fromDockerConfig(OciRegistryAddress address, Path file)
      throws RegistryException {
    JsonNode auths;
    try {
      auths = JSON.readTree(Files.readAllBytes(file)).path("auths");
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot read the Docker config " + file + ": "
          + e.getMessage(), e);
    }
    for (Iterator<Map.Entry<String, JsonNode>> entries = auths.fields(); entries.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (sameRegistry(entry.getKey(), address) && entry.getValue().hasNonNull("auth")) {
        return Optional.of(decode(entry.getValue().get("auth").asText(), file, entry.getKey()));
      }
    }
    return Optional.empty();
  }

  /** Keys are written as {@code host}, {@code host:port} or a URL ({@code https://host/v1/}). */
  static boolean sameRegistry(String key, OciRegistryAddress address) {
    String authority = key.contains("://") ? URI.create(key).getRawAuthority() : key.split("/", 2)[0];
    if (authority == null) {
      return false;
    }
    return authority.equalsIgnoreCase(address.authority())
        || address.port() == OciRegistryAddress.DEFAULT_PORT && authority.equalsIgnoreCase(address.host());
  }

  private static RegistryCredentials decode(String auth, Path file, String key) throws RegistryException {
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + ": the auth of '" + key + "' is not base64");
    }
    int colon = pair.indexOf(':');
    if (colon <= 0) {
      throw new RegistryException(RegistryException.Kind.INVALID, file + ": the auth of '" + key
          + "' is not base64 of USER:PASSWORD");
    }
    return new RegistryCredentials(pair.substring(0, colon), pair.substring(colon + 1), file + " (" + key + ")");
  }
}
