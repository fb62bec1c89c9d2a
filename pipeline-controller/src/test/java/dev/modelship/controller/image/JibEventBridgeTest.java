package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.Allocation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JibEventBridgeTest {
  private static final String LAYER = "sha256:" + "1".repeat(64);
  private static final String MODEL = "sha256:" + "2".repeat(64);

  private final List<ImageBuildEvent> events = new ArrayList<>();
  private final Redactor redactor = new Redactor();
  private final JibEventBridge bridge = new JibEventBridge(events::add, redactor, "127.0.0.1:5000"::equals);

  @Test
  void aBlobTheRegistryHasIsReportedPresentNotPushed() {
    Allocation root = Allocation.newRoot("building", 2);
    Allocation existing = root.newChild("pushing blob " + LAYER, 1000);
    Allocation uploaded = root.newChild("pushing blob " + MODEL, 50);

    bridge.accept(new ProgressEvent(root, 0));
    bridge.accept(new ProgressEvent(existing, 0));
    bridge.accept(LogEvent.info("Skipping push; BLOB already exists on target registry : digest: " + LAYER
        + ", size: 1000"));
    bridge.accept(new ProgressEvent(existing, 1000));
    bridge.accept(new ProgressEvent(uploaded, 0));
    bridge.accept(new ProgressEvent(uploaded, 20));
    bridge.accept(new ProgressEvent(uploaded, 30));

    assertThat(events).filteredOn(event -> !(event instanceof ImageBuildEvent.Progress)).containsExactly(
        new ImageBuildEvent.BlobAlreadyPresent(LAYER), new ImageBuildEvent.BlobPushing(MODEL, 50));
  }

  @Test
  void progressIsReportedInStepsUpToOne() {
    Allocation root = Allocation.newRoot("building", 1000);
    for (int i = 0; i < 1000; i++) {
      bridge.accept(new ProgressEvent(root, 1));
    }

    List<Double> fractions = events.stream().filter(ImageBuildEvent.Progress.class::isInstance)
        .map(event -> ((ImageBuildEvent.Progress) event).fraction()).toList();
    assertThat(fractions).hasSizeBetween(90, 101).isSorted().last().isEqualTo(1.0);
  }

  @Test
  void aFinishedBuildReportsOneHundredPercentOnceEvenIfJibsLastEventsAreLate() {
    Allocation root = Allocation.newRoot("building", 1000);
    for (int i = 0; i < 950; i++) {
      bridge.accept(new ProgressEvent(root, 1));
    }
    bridge.finished();
    for (int i = 0; i < 50; i++) { // Jib's worker threads, after the build returned
      bridge.accept(new ProgressEvent(root, 1));
    }

    List<Double> fractions = events.stream().filter(ImageBuildEvent.Progress.class::isInstance)
        .map(event -> ((ImageBuildEvent.Progress) event).fraction()).toList();
    assertThat(fractions).isSorted().last().isEqualTo(1.0);
    assertThat(fractions).filteredOn(fraction -> fraction == 1.0).hasSize(1);
  }

  @Test
  void aFallbackToPlainHttpForAnUnlistedRegistryIsStopped() {
    assertThatThrownBy(() -> bridge.accept(LogEvent.warn("Failed to connect to https://10.1.1.1:5000/v2/ over HTTPS. "
        + "Attempting again with HTTP."))).isInstanceOfSatisfying(JibEventBridge.InsecureConnectionRefused.class,
            e -> assertThat(e.registry()).isEqualTo("10.1.1.1:5000"));
    assertThatThrownBy(() -> bridge.accept(LogEvent.warn("Cannot verify server at https://docker.io/v2/. Attempting "
        + "again with no TLS verification."))).isInstanceOf(JibEventBridge.InsecureConnectionRefused.class);
  }

  @Test
  void aFallbackForAListedRegistryIsNotedOnce() {
    bridge.accept(LogEvent.warn("Cannot verify server at https://127.0.0.1:5000/v2/. Attempting again with no TLS "
        + "verification."));
    bridge.accept(LogEvent.warn("Failed to connect to https://127.0.0.1:5000/v2/x over HTTPS. Attempting again with "
        + "HTTP."));

    assertThat(events).containsExactly(new ImageBuildEvent.Note(ImageBuildEvent.Level.INFO,
        "registry 127.0.0.1:5000 is reached without verified HTTPS, as the insecure list allows"));
  }

  @Test
  void messagesAreRedactedAndJibInternalsLeftOut() {
    redactor.add("user", "hunter2");

    bridge.accept(LogEvent.warn("odd reply mentioning hunter2"));
    bridge.accept(LogEvent.lifecycle("Using base image with digest: sha256:abc"));
    bridge.accept(LogEvent.debug("internal detail"));
    bridge.accept(LogEvent.info("more detail"));
    bridge.accept(LogEvent.lifecycle(""));

    assertThat(events).containsExactly(
        new ImageBuildEvent.Note(ImageBuildEvent.Level.WARNING, "odd reply mentioning ****"),
        new ImageBuildEvent.Note(ImageBuildEvent.Level.INFO, "Using base image with digest: sha256:abc"));
  }

  @Test
  void theRegistryOfAFallbackMessageIsHostAndPortAsImageReferencesWriteIt() {
    assertThat(JibEventBridge.insecureFallbackTarget("Failed to connect to https://reg.example/v2/ over HTTPS. "
        + "Attempting again with HTTP.")).contains("reg.example");
    assertThat(JibEventBridge.insecureFallbackTarget("Pushing manifest")).isEmpty();
  }
}
