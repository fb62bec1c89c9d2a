package dev.modelship.controller.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes registry passwords from text about to be shown: events, error messages. Credentials are added as they are
 * found (also those a credential helper returns), from any of Jib's threads.
 */
final class Redactor {
  static final String MASK = "****";
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Remembers a password, in plain and as a basic-auth header would carry it with its username. */
  void add(String username, String password) {
    if (password == null || password.isEmpty()) {
      return;
    }
    secrets.add(password);
    if (username != null) {
      secrets.add(Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String secret : secrets) {
      redacted = redacted.replace(secret, MASK);
    }
    return redacted;
  }

  /** Whether any message in {@code failure}'s cause chain shows a secret (then the chain is not passed on). */
  boolean leaksIn(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage()) + " " + cause;
      if (!redact(message).equals(message)) {
        return true;
      }
    }
    return false;
  }
}
