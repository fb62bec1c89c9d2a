package dev.modelship.controller.registry;

import java.time.Duration;

/**
 * How to talk to a remote registry. A filesystem registry ignores them.
 *
 * @param allowInsecureHttp whether plain HTTP is allowed (a local development registry); HTTPS otherwise
 * @param username null for anonymous access
 * @param password null for anonymous access; never printed
 * @param timeout how long one request may take
 */
public record RegistryOptions(boolean allowInsecureHttp, String username, String password, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public RegistryOptions {
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("registry username and password go together: give both or neither");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("registry timeout must be positive, got " + timeout);
    }
  }

  /** HTTPS, anonymous, {@link #DEFAULT_TIMEOUT}. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(false, null, null, DEFAULT_TIMEOUT);
  }

  public boolean hasCredentials() {
    return username != null;
  }

  @Override
  public String toString() {
    return "RegistryOptions[allowInsecureHttp=" + allowInsecureHttp + ", username=" + username + ", password="
        + (password == null ? null : "****") + ", timeout=" + timeout + "]";
  }
}
