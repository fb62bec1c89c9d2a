package dev.modelship.controller.image;

import com.google.cloud.tools.jib.api.JibEvent;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jib's events into {@link ImageBuildEvent}s, and stops a build that is about to fall back to plain HTTP or
 * unverified TLS for a registry not on the insecure list. (Jib's switch for that covers every registry of a build;
 * its fallback is announced by a log event just before the insecure request, and an exception thrown here fails
 * that request instead.)
 */
final class JibEventBridge implements Consumer<JibEvent> {
  private static final String PUSHING_BLOB = "pushing blob ";
  /** Jib's messages for a layer (pushed or, for base layers, pulled) that the target registry already has. */
  private static final Pattern BLOB_EXISTS = Pattern.compile(
      "^Skipping (push|pull); BLOB already exists on target registry : .*?(sha256:[0-9a-f]{64})");
  private static final String HTTP_FALLBACK_PREFIX = "Failed to connect to ";
  private static final String HTTP_FALLBACK_SUFFIX = " over HTTPS. Attempting again with HTTP.";
  private static final String UNVERIFIED_PREFIX = "Cannot verify server at ";
  private static final String UNVERIFIED_SUFFIX = ". Attempting again with no TLS verification.";
  /** Progress is reported in steps of at least this much, so a UI is not flooded. */
  private static final double PROGRESS_STEP = 0.01;

  private final ImageBuildListener listener;
  private final Redactor redactor;
  private final Predicate<String> insecureAllowed;
  private final ProgressEventHandler progress;
  private final Set<String> blobsPresent = new HashSet<>();
  private final Set<String> blobsPushing = new HashSet<>();
  private final Set<String> insecureNoted = new HashSet<>();
  private double lastReportedProgress = -1;

  /** @param insecureAllowed whether a registry ({@code host[:port]}) may be reached insecurely */
  JibEventBridge(ImageBuildListener listener, Redactor redactor, Predicate<String> insecureAllowed) {
    this.listener = listener;
    this.redactor = redactor;
    this.insecureAllowed = insecureAllowed;
    this.progress = new ProgressEventHandler(update -> progress(update.getProgress()));
  }

  @Override
  public void accept(JibEvent event) {
    if (event instanceof ProgressEvent progressEvent) {
      onProgress(progressEvent);
    } else if (event instanceof LogEvent logEvent) {
      onLog(logEvent);
    }
  }

  /** Passes an event on; one at a time, whichever thread it comes from. */
  synchronized void emit(ImageBuildEvent event) {
    listener.onEvent(event);
  }

  private void onProgress(ProgressEvent event) {
    Allocation allocation = event.getAllocation();
    String description = allocation.getDescription();
    if (description.startsWith(PUSHING_BLOB) && event.getUnits() > 0) {
      // Jib opens the allocation before asking the registry; bytes flowing (not preceded by "already exists")
      // is what tells an actual push
      String digest = description.substring(PUSHING_BLOB.length()).trim();
      boolean first;
      synchronized (this) {
        first = !blobsPresent.contains(digest) && blobsPushing.add(digest);
      }
      if (first) {
        emit(new ImageBuildEvent.BlobPushing(digest, allocation.getAllocationUnits()));
      }
    }
    progress.accept(event);
  }

  /**
   * The build is done: reports 100% if Jib's last progress events have not (they come from its worker threads and
   * may arrive after the build returns, or add up to a hair under 1).
   */
  void finished() {
    progress(1.0);
  }

  private synchronized void progress(double fraction) {
    if (fraction - lastReportedProgress >= PROGRESS_STEP || fraction >= 1.0 && lastReportedProgress < 1.0) {
      lastReportedProgress = fraction;
      emit(new ImageBuildEvent.Progress(Math.min(1.0, fraction)));
    }
  }

  private void onLog(LogEvent event) {
    String message = event.getMessage();
    Optional<String> insecure = insecureFallbackTarget(message);
    if (insecure.isPresent()) {
      onInsecureFallback(insecure.get());
      return;
    }
    Matcher present = BLOB_EXISTS.matcher(message);
    if (present.find()) {
      synchronized (this) {
        blobsPresent.add(present.group(2));
      }
      emit(new ImageBuildEvent.BlobAlreadyPresent(present.group(2)));
      return;
    }
    if (message.isBlank()) {
      return;
    }
    switch (event.getLevel()) {
      case LIFECYCLE -> emit(new ImageBuildEvent.Note(ImageBuildEvent.Level.INFO, redactor.redact(message)));
      case WARN -> emit(new ImageBuildEvent.Note(ImageBuildEvent.Level.WARNING, redactor.redact(message)));
      case ERROR -> emit(new ImageBuildEvent.Note(ImageBuildEvent.Level.ERROR, redactor.redact(message)));
      default -> {
        // info, debug and progress texts are Jib's internals; progress is reported from ProgressEvents
      }
    }
  }

  private void onInsecureFallback(String registry) {
    if (!insecureAllowed.test(registry)) {
      throw new InsecureConnectionRefused(registry);
    }
    boolean first;
    synchronized (this) {
      first = insecureNoted.add(registry);
    }
    if (first) {
      emit(new ImageBuildEvent.Note(ImageBuildEvent.Level.INFO, "registry " + registry + " is reached without "
          + "verified HTTPS, as the insecure list allows"));
    }
  }

  /** The registry ({@code host[:port]}) a fallback message is about, if {@code message} announces one. */
  static Optional<String> insecureFallbackTarget(String message) {
    String url = between(message, HTTP_FALLBACK_PREFIX, HTTP_FALLBACK_SUFFIX)
        .or(() -> between(message, UNVERIFIED_PREFIX, UNVERIFIED_SUFFIX)).orElse(null);
    if (url == null) {
      return Optional.empty();
    }
    try {
      URL parsed = new URL(url);
      return Optional.of(parsed.getPort() == -1 ? parsed.getHost() : parsed.getHost() + ":" + parsed.getPort());
    } catch (MalformedURLException e) {
      return Optional.of(url);
    }
  }

  private static Optional<String> between(String text, String prefix, String suffix) {
    return text.startsWith(prefix) && text.endsWith(suffix)
        ? Optional.of(text.substring(prefix.length(), text.length() - suffix.length())) : Optional.empty();
  }

  /** Thrown into Jib to stop a request that would go out insecurely to a registry not on the list. */
  static final class InsecureConnectionRefused extends RuntimeException {
    private final String registry;

    InsecureConnectionRefused(String registry) {
      super("refusing plain HTTP or unverified TLS to " + registry + ": it is not on the insecure list");
      this.registry = registry;
    }

    String registry() {
      return registry;
    }
  }
}
