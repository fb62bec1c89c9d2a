package dev.modelship.controller.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/**
 * What an unwanted registry answer, or the lack of one, means: a {@link RegistryException} of the right kind, in
 * words that name the registry, the request and what it said.
 */
final class ReplyErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DETAIL = 300;

  private ReplyErrors() {
  }

  /**
   * 404 is {@link Kind#NOT_FOUND}, 401/403 {@link Kind#UNAUTHORIZED}, anything else (5xx, a refused request, a
   * status the protocol does not use here) {@link Kind#UNAVAILABLE}.
   */
  static RegistryException unexpected(RegistryHttp.Reply reply, OciRegistryAddress address, String what,
      UnaryOperator<String> redact) {
    String said = "HTTP " + reply.status() + detail(reply.body(), redact);
    if (reply.status() == 404) {
      return new RegistryException(Kind.NOT_FOUND, what + " is not in " + address + " (" + said + ")");
    }
    if (reply.status() == 401 || reply.status() == 403) {
      return new RegistryException(Kind.UNAUTHORIZED, "OCI registry " + address.authority() + " refused "
          + reply.target() + " (" + said + ")");
    }
    String verb = reply.status() / 100 == 5 ? " failed on " : " answered ";
    return new RegistryException(Kind.UNAVAILABLE, "OCI registry " + address.authority() + verb + reply.target()
        + " for " + what + " with " + said);
  }

  /** The answer is not what the protocol promises (not JSON, wrong fields, wrong media type). */
  static RegistryException garbage(RegistryHttp.Reply reply, OciRegistryAddress address, String problem,
      UnaryOperator<String> redact) {
    return new RegistryException(Kind.UNAVAILABLE, "OCI registry " + address.authority() + " answered "
        + reply.target() + " with something unusable: " + problem + snippet(reply.body(), redact));
  }

  /**
   * A request that got no usable answer: refused or timed-out connections, TLS failures and broken transfers are
   * {@link Kind#UNAVAILABLE}; a body past its size limit is {@link Kind#INVALID}.
   */
  static RegistryException transport(OciRegistryAddress address, String target, Throwable failure, Duration timeout,
      UnaryOperator<String> redact) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof BoundedBody.LimitExceeded tooLarge) {
      return new RegistryException(Kind.INVALID, "the OCI registry " + address.authority() + " sent more than "
          + tooLarge.limit + " bytes for " + target + "; refused");
    }
    for (Throwable link = cause; link != null; link = link.getCause()) {
      if (link instanceof SSLException) {
        return new RegistryException(Kind.UNAVAILABLE, "TLS with the OCI registry " + address.authority()
            + " failed during " + target + " (" + link.getMessage() + "); if that registry serves plain HTTP, allow "
            + "insecure HTTP explicitly", cause);
      }
    }
    String what;
    if (cause instanceof HttpConnectTimeoutException) {
      what = "could not connect within " + describe(timeout);
    } else if (cause instanceof ConnectException) {
      what = "cannot connect (" + (cause.getMessage() == null ? "connection refused" : cause.getMessage()) + ")";
    } else if (cause instanceof HttpTimeoutException) {
      what = "no answer within " + describe(timeout);
    } else {
      what = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return new RegistryException(Kind.UNAVAILABLE, redact.apply("OCI registry " + address.authority()
        + " unavailable: " + what + " during " + target), cause);
  }

  static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  /** {@code ": CODE message; ..."} from a Distribution error document, else the start of the body, else "". */
  static String detail(byte[] body, UnaryOperator<String> redact) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      List<String> parts = new ArrayList<>();
      for (JsonNode error : errors) {
        String part = (error.path("code").asText("") + " " + error.path("message").asText("")).trim();
        if (!part.isEmpty()) {
          parts.add(part);
        }
      }
      if (!parts.isEmpty()) {
        return ": " + clip(redact.apply(String.join("; ", parts)));
      }
    } catch (IOException e) {
      // not JSON: the text itself is the best description
    }
    return snippet(body, redact);
  }

  private static String snippet(byte[] body, UnaryOperator<String> redact) {
    if (body == null || body.length == 0) {
      return " (empty body)";
    }
    String text = new String(body, 0, Math.min(body.length, MAX_DETAIL * 2), StandardCharsets.UTF_8);
    return ": \"" + clip(redact.apply(text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "?").replaceAll("\\s+", " ").trim()))
        + "\"";
  }

  private static String clip(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }
}
