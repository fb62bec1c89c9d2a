package dev.modelship.controller.registry.oci;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the models live: a registry host and port, and the one repository on it that holds every model version
 * (see {@link dev.modelship.controller.registry.oci the package documentation} for why one repository).
 *
 * @param host DNS name or IP address; an IPv6 address in brackets
 * @param port TCP port; 443 when {@link #parse} is given none
 * @param repository repository path in the Distribution grammar: lowercase components separated by {@code /}
 */
public record OciRegistryAddress(String host, int port, String repository) {
  public static final int DEFAULT_PORT = 443;

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final int MAX_REPOSITORY_LENGTH = 255;

  public OciRegistryAddress {
    if (host == null || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + host + "' is not a registry host name or address");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("registry port must be 1-65535, got " + port);
    }
    if (repository == null || repository.length() > MAX_REPOSITORY_LENGTH
        || !REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("'" + repository + "' is not an OCI repository name (lowercase letters and "
          + "digits, components joined by '.', '_', '-' or '/', at most " + MAX_REPOSITORY_LENGTH + " characters)");
    }
  }

  /**
   * Parses {@code [oci://]host[:port]/repository}, e.g. {@code oci://localhost:5000/models} or
   * {@code ghcr.io/acme/models}. Whether to speak HTTPS or plain HTTP is not part of the address but of
   * {@link OciRegistryOptions#allowInsecureHttp()}, so an address can never silently downgrade the transport.
   */
  public static OciRegistryAddress parse(String text) {
    String rest = text == null ? "" : text.trim();
    if (rest.toLowerCase(Locale.ROOT).startsWith("oci://")) {
      rest = rest.substring("oci://".length());
    } else if (rest.contains("://")) {
      throw new IllegalArgumentException("'" + text + "' is not an OCI registry address: write "
          + "oci://HOST[:PORT]/REPOSITORY (plain HTTP is an option, not a URL scheme)");
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not HOST[:PORT]/REPOSITORY (e.g. "
          + "oci://localhost:5000/models)");
    }
    String authority = rest.substring(0, slash);
    String repository = rest.substring(slash + 1);
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.endsWith("]")) {
      return new OciRegistryAddress(authority, DEFAULT_PORT, repository);
    }
    String portText = authority.substring(colon + 1);
    try {
      return new OciRegistryAddress(authority.substring(0, colon), Integer.parseInt(portText), repository);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + portText + "' in '" + text + "' is not a port number");
    }
  }

  /** {@code host:port}, as in URLs and in {@code ~/.docker/config.json}. */
  public String authority() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "oci://" + authority() + "/" + repository;
  }
}
