package dev.modelship.controller.image;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * One HTTPS request to a registry's {@code /v2/} before the build, for registries not on the insecure list. Jib
 * retries a failed TLS handshake for about a minute before giving up; a registry that speaks plain HTTP or shows a
 * certificate nobody vouches for will never pass, so it is refused at once with an error that says what to do.
 * Anything else (unreachable, slow, any HTTP status) is left to the build itself to report.
 */
final class TlsPreflight {
  private final HttpClient client;
  private final Duration timeout;

  TlsPreflight(Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /** @param registry {@code host[:port]} as an image reference names it */
  void check(String registry) throws ImageBuildException {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create("https://" + registry + "/v2/")).timeout(timeout).GET().build();
    } catch (IllegalArgumentException e) {
      return;
    }
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (SSLException e) {
      throw new ImageBuildException(ImageBuildException.Kind.INSECURE_CONNECTION_REFUSED, "registry " + registry
          + " does not offer verified HTTPS (" + e.getMessage() + "): if it is a development registry you trust, "
          + "allow plain HTTP or its certificate with --insecure-registry " + registry);
    } catch (IOException e) {
      // unreachable or failing otherwise: the build reports it with its own retries and context
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException(ImageBuildException.Kind.UNAVAILABLE, "interrupted while checking " + registry, e);
    }
  }
}
