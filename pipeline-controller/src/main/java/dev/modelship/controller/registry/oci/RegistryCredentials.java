package dev.modelship.controller.registry.oci;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A username and password for a registry, and where they came from (so an error can say which credentials were
 * refused without showing them).
 */
record RegistryCredentials(String username, String password, String source) {

  String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Removes the password, in plain or as sent in a header, from text about to be shown. */
  String redact(String text) {
    if (text == null || password.isEmpty()) {
      return text;
    }
    String encoded = basicAuthorization().substring("Basic ".length());
    return text.replace(password, "****").replace(encoded, "****");
  }

  @Override
  public String toString() {
    return "RegistryCredentials[username=" + username + ", password=****, source=" + source + "]";
  }
}
