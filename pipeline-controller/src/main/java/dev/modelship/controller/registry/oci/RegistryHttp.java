package dev.modelship.controller.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP to one OCI registry: HTTPS unless plain HTTP is allowed, Basic or Bearer-token auth as the registry's
 * challenge asks, redirects (credentials only to the registry itself), silence timeouts and body size limits.
 * Every status comes back as a {@link Reply} except refused credentials, which are
 * {@link Kind#UNAUTHORIZED}; every transport failure is {@link Kind#UNAVAILABLE} naming the registry.
 */
final class RegistryHttp {
  static final long ERROR_BODY_LIMIT = 16 * 1024;
  private static final long TOKEN_BODY_LIMIT = 1 << 20;
  private static final int MAX_REDIRECTS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Looks the credentials up once, when first needed (a registry without auth never reads the Docker config). */
  interface CredentialSource {
    Optional<RegistryCredentials> find() throws RegistryException;
  }

  /** An answer from the registry; the body is in memory unless it went to a file. */
  record Reply(String method, URI uri, int status, HttpHeaders headers, BoundedBody.Received received) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    byte[] body() {
      return received.bytes();
    }

    boolean isSuccess() {
      return status / 100 == 2;
    }

    String target() {
      return method + " " + uri.getRawPath();
    }
  }

  private record Request(String method, URI uri, String scope, Map<String, String> headers,
      HttpRequest.BodyPublisher body, BoundedBody.Sink successSink, long successLimit) {
    Request at(URI other) {
      return new Request(method, other, scope, headers, body, successSink, successLimit);
    }

    String target() {
      return method + " " + uri.getRawPath();
    }
  }

  private final OciRegistryAddress address;
  private final OciRegistryOptions options;
  private final CredentialSource credentialSource;
  private final HttpClient client;
  private final Map<String, String> bearerTokens = new ConcurrentHashMap<>();
  private volatile Optional<RegistryCredentials> credentials;

  RegistryHttp(OciRegistryAddress address, OciRegistryOptions options, CredentialSource credentialSource) {
    this.address = address;
    this.options = options;
    this.credentialSource = credentialSource;
    this.client = HttpClient.newBuilder()
        .connectTimeout(options.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  OciRegistryAddress address() {
    return address;
  }

  URI uri(String path) {
    return URI.create((options.allowInsecureHttp() ? "http" : "https") + "://" + address.authority() + path);
  }

  /** Sends a request whose successful answer is read into memory, up to {@code limit} bytes. */
  Reply send(String method, URI uri, String scope, Map<String, String> headers, HttpRequest.BodyPublisher body,
      long limit) throws RegistryException {
    return follow(new Request(method, uri, scope, headers, body, BoundedBody.memory(), limit));
  }

  /** GETs a body into {@code target}, at most {@code limit} bytes; the reply says how many arrived and their sha256. */
  Reply download(URI uri, String scope, Path target, long limit) throws RegistryException {
    BoundedBody.Sink sink;
    try {
      sink = BoundedBody.file(target);
    } catch (IOException e) {
      throw new RegistryException(Kind.INVALID, "cannot write " + target + ": " + e.getMessage(), e);
    }
    try (sink) {
      return follow(new Request("GET", uri, scope, Map.of(), null, sink, limit));
    } catch (IOException e) {
      throw new RegistryException(Kind.INVALID, "cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Text about to be shown, with any credential taken out. */
  String redact(String text) {
    Optional<RegistryCredentials> known = credentials;
    return known != null && known.isPresent() ? known.get().redact(text) : text;
  }

  private Reply follow(Request request) throws RegistryException {
    Request current = request;
    for (int redirects = 0; ; redirects++) {
      Reply reply = authorized(current);
      boolean redirect = reply.status() / 100 == 3 && reply.status() != 304;
      if (!redirect || !(current.method().equals("GET") || current.method().equals("HEAD"))) {
        return reply;
      }
      if (redirects == MAX_REDIRECTS) {
        throw unavailable(current, "more than " + MAX_REDIRECTS + " redirects");
      }
      Request redirected = current;
      String location = reply.header("Location").orElseThrow(() -> unavailable(redirected,
          "HTTP " + reply.status() + " redirect without a Location"));
      URI next = current.uri().resolve(location);
      checkScheme(next, "redirect");
      current = current.at(next);
    }
  }

  private Reply authorized(Request request) throws RegistryException {
    boolean toRegistry = sameOrigin(request.uri());
    String authorization = toRegistry ? authorizationFor(request.scope()) : null;
    Reply reply = attempt(request, authorization);
    if (reply.status() == 401 && toRegistry) {
      String answer = answerChallenge(reply, request.scope(), authorization);
      if (answer != null) {
        reply = attempt(request, answer);
      }
    }
    if (reply.status() == 401 || reply.status() == 403) {
      throw refused(reply);
    }
    return reply;
  }

  private String authorizationFor(String scope) throws RegistryException {
    String token = bearerTokens.get(scope);
    if (token != null) {
      return "Bearer " + token;
    }
    return credentials().map(RegistryCredentials::basicAuthorization).orElse(null);
  }

  private String answerChallenge(Reply reply, String scope, String sent) throws RegistryException {
    Optional<AuthChallenge> challenge = AuthChallenge.parse(reply.header("WWW-Authenticate").orElse(null));
    if (challenge.isPresent() && challenge.get().isBearer()) {
      String token = fetchToken(challenge.get(), scope);
      bearerTokens.put(scope, token);
      return "Bearer " + token;
    }
    if (challenge.isPresent() && challenge.get().isBasic() && sent == null) {
      return credentials().map(RegistryCredentials::basicAuthorization).orElse(null);
    }
    return null;
  }

  private String fetchToken(AuthChallenge challenge, String scope) throws RegistryException {
    String realm = challenge.parameter("realm").orElseThrow(() -> new RegistryException(Kind.UNAVAILABLE,
        "the OCI registry " + address.authority() + " asked for a Bearer token without saying where (no realm)"));
    StringBuilder query = new StringBuilder();
    challenge.parameter("service").ifPresent(service -> query.append("service=").append(encode(service)).append('&'));
    query.append("scope=").append(encode(challenge.parameter("scope").orElse(scope)));
    URI tokenUri;
    try {
      tokenUri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(Kind.UNAVAILABLE, "the OCI registry " + address.authority()
          + " named a token realm that is not a URL: " + realm);
    }
    checkScheme(tokenUri, "token realm");
    Request request = new Request("GET", tokenUri, scope, Map.of(), null, BoundedBody.memory(), TOKEN_BODY_LIMIT);
    Reply reply = attempt(request, credentials().map(RegistryCredentials::basicAuthorization).orElse(null));
    if (reply.status() == 401 || reply.status() == 403) {
      throw refused(reply);
    }
    if (!reply.isSuccess()) {
      throw ReplyErrors.unexpected(reply, address, "a registry token", this::redact);
    }
    try {
      JsonNode answer = JSON.readTree(reply.body());
      String token = answer.path("token").asText(answer.path("access_token").asText(""));
      if (!token.isEmpty()) {
        return token;
      }
    } catch (IOException e) {
      // reported below: the answer is not the token document
    }
    throw new RegistryException(Kind.UNAVAILABLE, "the token service " + tokenUri.getHost() + " of the OCI registry "
        + address.authority() + " answered without a token");
  }

  private Reply attempt(Request request, String authorization) throws RegistryException {
    IdleWatch watch = new IdleWatch(options.timeout());
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).method(request.method(),
        request.body() == null ? HttpRequest.BodyPublishers.noBody() : watch.watching(request.body()));
    request.headers().forEach(builder::header);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    AtomicReference<BoundedBody> body = new AtomicReference<>();
    HttpResponse.BodyHandler<BoundedBody.Received> handler = info -> {
      watch.touch();
      body.set(info.statusCode() / 100 == 2
          ? new BoundedBody(request.successSink(), request.successLimit(), false, watch::touch)
          : new BoundedBody(BoundedBody.memory(), ERROR_BODY_LIMIT, true, watch::touch));
      return body.get();
    };
    CompletableFuture<HttpResponse<BoundedBody.Received>> future = client.sendAsync(builder.build(), handler);
    try {
      while (true) {
        long nanosLeft = watch.nanosLeft();
        if (nanosLeft <= 0) {
          future.cancel(true);
          throw unavailable(request, "silent for " + ReplyErrors.describe(options.timeout()) + " (the timeout)");
        }
        try {
          HttpResponse<BoundedBody.Received> response = future.get(nanosLeft, TimeUnit.NANOSECONDS);
          return new Reply(request.method(), request.uri(), response.statusCode(), response.headers(),
              response.body());
        } catch (TimeoutException e) {
          // bytes may have moved meanwhile: the loop looks at the watch again
        }
      }
    } catch (ExecutionException e) {
      Optional<IOException> refusal = body.get() == null ? Optional.empty() : body.get().refusal();
      throw ReplyErrors.transport(address, request.target(), refusal.isPresent() ? refusal.get() : e.getCause(),
          options.timeout(), this::redact);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw unavailable(request, "interrupted");
    }
  }

  private RegistryException refused(Reply reply) {
    String detail = ReplyErrors.detail(reply.body(), this::redact);
    Optional<RegistryCredentials> known = credentials;
    String whose = known != null && known.isPresent()
        ? "the credentials from " + known.get().source() + (reply.status() == 403
            ? " are not allowed to do this" : " were not accepted")
        : "no credentials were given (pass them in the options, set " + CredentialLookup.USERNAME_VARIABLE + " and "
            + CredentialLookup.PASSWORD_VARIABLE + ", or docker login " + address.authority() + ")";
    return new RegistryException(Kind.UNAUTHORIZED, "OCI registry " + address.authority() + " refused "
        + reply.target() + " (HTTP " + reply.status() + detail + "): " + whose);
  }

  private RegistryException unavailable(Request request, String what) {
    return new RegistryException(Kind.UNAVAILABLE, "OCI registry " + address.authority() + " unavailable: " + what
        + " during " + request.target());
  }

  private void checkScheme(URI uri, String what) throws RegistryException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("https") && !(scheme.equals("http") && options.allowInsecureHttp())) {
      throw new RegistryException(Kind.UNAVAILABLE, "the OCI registry " + address.authority() + " sent a " + what
          + " to " + uri.getScheme() + "://" + uri.getHost() + ", refused: only "
          + (options.allowInsecureHttp() ? "http and https are" : "https is") + " allowed");
    }
  }

  private boolean sameOrigin(URI uri) {
    URI registry = uri("/");
    return registry.getScheme().equals(uri.getScheme()) && registry.getHost().equalsIgnoreCase(uri.getHost())
        && port(registry) == port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
  }

  private Optional<RegistryCredentials> credentials() throws RegistryException {
    Optional<RegistryCredentials> known = credentials;
    if (known == null) {
      known = credentialSource.find();
      credentials = known;
    }
    return known;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
