package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns what Jib threw into an {@link ImageBuildException} that names the problem and what to do about it, with
 * passwords removed. Jib wraps its failures in {@link ExecutionException}s and its own types; the decisive cause is
 * looked for along the whole chain.
 */
final class JibFailures {
  private final String baseImage;
  private final String target;
  private final String credentialHelp;
  private final Redactor redactor;

  /**
   * @param credentialHelp where credentials are looked for, for the message when a registry refuses them
   */
  JibFailures(String baseImage, String target, String credentialHelp, Redactor redactor) {
    this.baseImage = baseImage;
    this.target = target;
    this.credentialHelp = credentialHelp;
    this.redactor = redactor;
  }

  ImageBuildException translate(Throwable failure) {
    JibEventBridge.InsecureConnectionRefused refused = find(failure, JibEventBridge.InsecureConnectionRefused.class);
    if (refused != null) {
      return error(ImageBuildException.Kind.INSECURE_CONNECTION_REFUSED, "registry " + refused.registry()
          + " does not offer verified HTTPS, and it is not on the insecure list: if it is a development registry "
          + "you trust, allow plain HTTP or its certificate with --insecure-registry " + refused.registry(), failure);
    }
    InsecureRegistryException insecure = find(failure, InsecureRegistryException.class);
    if (insecure != null) {
      return error(ImageBuildException.Kind.INSECURE_CONNECTION_REFUSED, "a registry of this build (" + baseImage
          + " -> " + target + ") does not offer verified HTTPS: " + message(insecure) + "; if it is a development "
          + "registry you trust, allow it with --insecure-registry HOST:PORT", failure);
    }
    RegistryUnauthorizedException unauthorized = find(failure, RegistryUnauthorizedException.class);
    if (unauthorized != null) {
      return error(ImageBuildException.Kind.UNAUTHORIZED, "the registry refused access to "
          + unauthorized.getImageReference() + " (" + role(unauthorized.getImageReference()) + "): "
          + message(unauthorized) + ". Check the credentials: " + credentialHelp, failure);
    }
    RegistryAuthenticationFailedException authentication = find(failure, RegistryAuthenticationFailedException.class);
    if (authentication != null) {
      return error(ImageBuildException.Kind.UNAUTHORIZED, "cannot authenticate with " + authentication.getServerUrl()
          + " for " + authentication.getImageName() + ": " + message(authentication) + ". Check the credentials: "
          + credentialHelp, failure);
    }
    Throwable unreachable = unreachable(failure);
    if (unreachable != null) {
      return error(ImageBuildException.Kind.UNAVAILABLE, "cannot reach the registry for " + baseImage + " or "
          + target + ": " + message(unreachable), failure);
    }
    RegistryException registry = find(failure, RegistryException.class);
    if (registry != null) {
      String text = message(registry);
      if (mentionsMissingManifest(text) && text.contains(baseImage)) {
        return error(ImageBuildException.Kind.BASE_IMAGE_NOT_FOUND, "the base image " + baseImage + " does not "
            + "exist: " + text, failure);
      }
      if (text.toLowerCase(Locale.ROOT).contains("credentials") && text.contains("not sent")) {
        return error(ImageBuildException.Kind.UNAUTHORIZED, text + " (Modelship sends credentials over HTTPS only)",
            failure);
      }
      return error(ImageBuildException.Kind.UNAVAILABLE, "the registry failed: " + text, failure);
    }
    Throwable root = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
    return error(ImageBuildException.Kind.UNAVAILABLE, "the image build failed: " + root.getClass().getSimpleName()
        + ": " + message(root), failure);
  }

  private String role(String imageReference) {
    return imageReference != null && baseImage.startsWith(imageReference) ? "the base image" : "the target";
  }

  private static boolean mentionsMissingManifest(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains("manifest unknown") || lower.contains("manifest_unknown") || lower.contains("not found")
        || lower.contains("name unknown") || lower.contains("name_unknown");
  }

  private static Throwable unreachable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
          || cause instanceof SSLException) {
        return cause;
      }
    }
    return null;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private ImageBuildException error(ImageBuildException.Kind kind, String message, Throwable cause) {
    String shown = redactor.redact(message);
    return redactor.leaksIn(cause) ? new ImageBuildException(kind, shown)
        : new ImageBuildException(kind, shown, cause);
  }
}
