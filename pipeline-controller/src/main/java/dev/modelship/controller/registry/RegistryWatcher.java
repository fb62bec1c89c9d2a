package dev.modelship.controller.registry;

import dev.modelship.controller.config.ModelshipHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each version that appears in a registry to a listener exactly once, also across restarts: what was handed
 * on is kept in a state file, and a version counts as handed on only once the listener has returned normally, so a
 * failing listener sees the same version again on the next poll (and a crash between the two at most repeats one).
 *
 * <p>{@link #pollOnce()} is the whole of the work; {@link #start()} only calls it every interval, waking up early on
 * filesystem events when the registry is a {@link FileSystemModelRegistry}. Per model, versions are handed on
 * oldest first, and a failure holds back that model's later versions until it succeeds.
 */
public final class RegistryWatcher implements AutoCloseable {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

  /** Which versions the very first start hands on; later starts always continue where the last one stopped. */
  public enum StartFrom {
    /** Every version, including those that were there before the watcher first started. */
    EVERYTHING,
    /** Only versions published after the watcher first started. */
    NOW
  }

  public record Settings(Duration interval, StartFrom startFrom) {
    public Settings {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("watch interval must be positive, got " + interval);
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_INTERVAL, StartFrom.EVERYTHING);
    }
  }

  /** Receives each new version; throwing means "not handled, offer it again". */
  @FunctionalInterface
  public interface Listener {
    void published(ModelVersionPublished event) throws Exception;
  }

  /**
   * What one poll did.
   *
   * @param handedOn events the listener accepted, in the order it got them
   * @param failures events the listener refused (offered again next poll), or models whose versions could not be
   *     read, with why
   * @param recordedAsExisting versions found at the first start with {@link StartFrom#NOW}, recorded without being
   *     handed on
   */
  public record PollReport(List<ModelVersionPublished> handedOn, Map<String, Exception> failures,
                           int recordedAsExisting) {
  }

  private final ModelRegistry registry;
  private final Path stateFile;
  private final Listener listener;
  private final Settings settings;
  private final Clock clock;
  private WatcherState state;
  private Thread loop;
  private ChangeSignal signal;
  private volatile boolean closed;

  public RegistryWatcher(ModelRegistry registry, Path stateFile, Listener listener, Settings settings, Clock clock) {
    this.registry = registry;
    this.stateFile = stateFile;
    this.listener = listener;
    this.settings = settings;
    this.clock = clock;
  }

  /** The state file for {@code registry} under {@link ModelshipHome#state()}: one per registry location. */
  public static Path stateFile(ModelshipHome home, ModelRegistry registry) {
    byte[] location = registry.location().getBytes(StandardCharsets.UTF_8);
    String id = HexFormat.of().formatHex(DurableFiles.sha256().digest(location)).substring(0, 16);
    return home.state().resolve("registry-watcher-" + id + ".json");
  }

  /**
   * Lists the registry once and hands on what is new.
   *
   * @throws RegistryException when the registry cannot be listed (nothing was handed on)
   * @throws IOException when the state file cannot be read or written
   */
  public synchronized PollReport pollOnce() throws RegistryException, IOException {
    if (state == null) {
      state = WatcherState.load(stateFile).orElse(null);
      if (state != null && !state.registry().equals(registry.location())) {
        throw new IOException(stateFile + " records what was handed on from registry " + state.registry()
            + ", not from " + registry.location());
      }
    }
    if (state == null) {
      return firstStart();
    }
    List<ModelVersionPublished> handedOn = new ArrayList<>();
    Map<String, Exception> failures = new TreeMap<>();
    for (String model : registry.models()) {
      try {
        for (PublishedVersion version : registry.versions(model)) {
          ModelVersionPublished event = new ModelVersionPublished(version.ref(), version.digest());
          if (state.wasHandedOn(event)) {
            continue;
          }
          if (!handOn(event, failures)) {
            break;
          }
          handedOn.add(event);
        }
      } catch (RegistryException e) {
        failures.put(model, e);
      }
    }
    return new PollReport(handedOn, failures, 0);
  }

  private PollReport firstStart() throws RegistryException, IOException {
    Map<String, String> existing = new TreeMap<>();
    if (settings.startFrom() == StartFrom.NOW) {
      for (String model : registry.models()) {
        for (PublishedVersion version : registry.versions(model)) {
          existing.put(version.ref().toString(), version.digest());
        }
      }
    }
    WatcherState first = WatcherState.firstStart(registry.location(), clock.instant(), existing);
    first.save(stateFile);
    state = first;
    return settings.startFrom() == StartFrom.NOW
        ? new PollReport(List.of(), Map.of(), existing.size())
        : pollOnce();
  }

  /** Returns whether the listener took it; only then is it recorded. */
  private boolean handOn(ModelVersionPublished event, Map<String, Exception> failures) throws IOException {
    try {
      listener.published(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.put(event.ref().toString(), e);
      return false;
    } catch (Exception e) {
      failures.put(event.ref().toString(), e);
      return false;
    }
    WatcherState next = state.with(event);
    next.save(stateFile);
    state = next;
    return true;
  }

  /** Polls in a background thread until {@link #close()}: every interval, earlier when the registry signals. */
  public synchronized void start() {
    if (loop != null || closed) {
      throw new IllegalStateException("a registry watcher starts once");
    }
    signal = registry instanceof FileSystemModelRegistry fileSystem
        ? ChangeSignal.fileSystem(fileSystem.root()) : ChangeSignal.interval();
    loop = new Thread(this::pollUntilClosed, "registry-watcher");
    loop.setDaemon(true);
    loop.start();
  }

  private void pollUntilClosed() {
    while (!closed) {
      signal.beforePoll();
      try {
        PollReport report = pollOnce();
        report.failures().forEach((what, error) -> LOG.warn("registry {}: {} was not handed on, retrying next poll",
            registry.location(), what, error));
      } catch (RegistryException | IOException e) {
        LOG.warn("registry {} could not be polled; retrying in {}", registry.location(), settings.interval(), e);
      }
      try {
        signal.await(settings.interval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Stops the loop and waits for a poll in progress to finish. The loop is not interrupted: a listener that has
   * done its work must get the chance to have that recorded.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      closed = true;
      running = loop;
    }
    if (running == null) {
      return;
    }
    signal.close();
    if (running == Thread.currentThread()) {
      return;
    }
    try {
      running.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
