package dev.modelship.controller.registry.oci;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate} challenge: {@code Basic realm="..."} from a registry with htpasswd auth, or
 * {@code Bearer realm="https://auth.example/token",service="...",scope="..."} from one with token auth.
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {
  private static final Pattern PARAMETER = Pattern.compile("([A-Za-z0-9_-]+)=(?:\"([^\"]*)\"|([^\\s,\"]*))");

  AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    parameters = Map.copyOf(parameters);
  }

  static Optional<AuthChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.trim();
    int space = text.indexOf(' ');
    String scheme = space < 0 ? text : text.substring(0, space);
    Map<String, String> parameters = new LinkedHashMap<>();
    if (space > 0) {
      Matcher matcher = PARAMETER.matcher(text.substring(space + 1));
      while (matcher.find()) {
        parameters.putIfAbsent(matcher.group(1).toLowerCase(Locale.ROOT),
            matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
      }
    }
    return Optional.of(new AuthChallenge(scheme, parameters));
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  Optional<String> parameter(String name) {
    return Optional.ofNullable(parameters.get(name));
  }
}
