package dev.modelship.controller.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a registry is, as a user writes it: a path or {@code file:} URL for a {@link FileSystemModelRegistry}, or
 * {@code oci://host[:port]/repository} for an OCI registry. Anything else is a configuration error, never a guess.
 *
 * @param path the folder, for {@link Scheme#FILE}; null otherwise
 * @param host the registry host (an IPv6 address keeps its brackets), for {@link Scheme#OCI}; null otherwise
 * @param port the port, for {@link Scheme#OCI} when one was written; null otherwise
 * @param repository the repository path under which models are stored, for {@link Scheme#OCI}; null otherwise
 */
public record RegistryLocation(Scheme scheme, Path path, String host, Integer port, String repository) {

  /** How a registry is reached. */
  public enum Scheme { FILE, OCI }

  private static final String FORMS = "a folder path, file:PATH, file:///PATH or oci://HOST[:PORT]/REPOSITORY";
  private static final Pattern URL_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):(.*)", Pattern.DOTALL);
  private static final Pattern OCI = Pattern.compile(
      "(?<host>\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
          + "[A-Za-z0-9])?)*)(?::(?<port>[0-9]{1,5}))?/(?<repository>.*)");
  /** The OCI distribution spec's repository name grammar. */
  private static final Pattern REPOSITORY = Pattern.compile(
      "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

  public RegistryLocation {
    if (scheme == null) {
      throw new IllegalArgumentException("scheme is required");
    }
    if (scheme == Scheme.FILE && (path == null || host != null || port != null || repository != null)) {
      throw new IllegalArgumentException("a file registry location has a path and nothing else");
    }
    if (scheme == Scheme.OCI && (path != null || host == null || repository == null)) {
      throw new IllegalArgumentException("an OCI registry location has a host and a repository and no path");
    }
  }

  public static RegistryLocation file(Path path) {
    return new RegistryLocation(Scheme.FILE, path, null, null, null);
  }

  public static RegistryLocation oci(String host, Integer port, String repository) {
    return new RegistryLocation(Scheme.OCI, null, host, port, repository);
  }

  /**
   * Parses a registry location.
   *
   * @throws IllegalArgumentException naming the problem and the accepted forms
   */
  public static RegistryLocation parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("registry location is empty; use " + FORMS);
    }
    String trimmed = text.strip();
    Matcher url = URL_SCHEME.matcher(trimmed);
    if (!url.matches()) {
      return file(toPath(trimmed, text));
    }
    String scheme = url.group(1).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> parseFile(url.group(2), text);
      case "oci" -> parseOci(url.group(2), text);
      default -> throw new IllegalArgumentException("registry location '" + text + "' has scheme '" + url.group(1)
          + "', which is not supported; use " + FORMS);
    };
  }

  private static RegistryLocation parseFile(String rest, String text) {
    if (!rest.startsWith("//")) {
      return file(toPath(rest, text));
    }
    URI uri;
    try {
      uri = new URI("file:" + rest);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("registry location '" + text + "' is not a valid file URL: "
          + e.getReason() + "; use " + FORMS);
    }
    String authority = uri.getRawAuthority();
    if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
      throw new IllegalArgumentException("registry location '" + text + "' names host '" + authority
          + "'; a file registry must be on this machine (file:///PATH)");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalArgumentException("registry location '" + text + "' has a query or fragment; use " + FORMS);
    }
    return file(toPath(uri.getPath(), text));
  }

  private static RegistryLocation parseOci(String rest, String text) {
    if (!rest.startsWith("//")) {
      throw new IllegalArgumentException("registry location '" + text + "' must be oci://HOST[:PORT]/REPOSITORY");
    }
    String address = rest.substring(2);
    if (address.contains("@") && address.indexOf('@') < firstSlash(address)) {
      String redacted = "oci://****@" + address.substring(address.indexOf('@') + 1);
      throw new IllegalArgumentException("registry location '" + redacted + "' contains credentials; pass them as "
          + "registry options (MODELSHIP_REGISTRY_USERNAME / MODELSHIP_REGISTRY_PASSWORD), never in the URL");
    }
    if (address.contains("?") || address.contains("#")) {
      throw new IllegalArgumentException("registry location '" + text + "' has a query or fragment; use "
          + "oci://HOST[:PORT]/REPOSITORY");
    }
    Matcher oci = OCI.matcher(address);
    if (!oci.matches()) {
      throw new IllegalArgumentException("registry location '" + text + "' is not oci://HOST[:PORT]/REPOSITORY "
          + "(for example oci://localhost:5000/modelship/models)");
    }
    Integer port = oci.group("port") == null ? null : Integer.valueOf(oci.group("port"));
    if (port != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("registry location '" + text + "' has port " + port
          + "; ports are 1 to 65535");
    }
    String repository = oci.group("repository");
    if (repository.endsWith("/")) {
      repository = repository.substring(0, repository.length() - 1);
    }
    if (repository.isEmpty()) {
      throw new IllegalArgumentException("registry location '" + text + "' names no repository: "
          + "oci://HOST[:PORT]/REPOSITORY");
    }
    if (repository.contains(":") || repository.contains("@")) {
      throw new IllegalArgumentException("registry location '" + text + "' has a tag or digest; name only the "
          + "repository (model versions become its tags)");
    }
    if (!REPOSITORY.matcher(repository).matches()) {
      throw new IllegalArgumentException("registry location '" + text + "': repository '" + repository
          + "' is not a valid OCI repository name (lowercase letters and digits, separated by '.', '_', '__', '-' "
          + "or '/')");
    }
    return oci(oci.group("host").toLowerCase(Locale.ROOT), port, repository);
  }

  private static int firstSlash(String address) {
    int slash = address.indexOf('/');
    return slash < 0 ? address.length() : slash;
  }

  private static Path toPath(String pathText, String text) {
    if (pathText == null || pathText.isBlank()) {
      throw new IllegalArgumentException("registry location '" + text + "' has an empty path; use " + FORMS);
    }
    try {
      return Path.of(pathText);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("registry location '" + text + "' is not a valid path: " + e.getReason());
    }
  }

  /** The location as a URL-like string; an OCI location as {@code oci://host[:port]/repository}. */
  @Override
  public String toString() {
    return scheme == Scheme.FILE ? path.toString()
        : "oci://" + host + (port == null ? "" : ":" + port) + "/" + repository;
  }
}
