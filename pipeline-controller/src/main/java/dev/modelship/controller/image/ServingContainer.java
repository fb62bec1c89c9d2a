package dev.modelship.controller.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a serving image runs, decided from the request alone: entrypoint, user, working directory, port and labels.
 * Kept apart from Jib so the decisions are tested without building anything.
 *
 * @param entrypoint runs the serving runtime on {@link #MODELS_DIR}; arguments given at run time are appended
 * @param user numeric {@code uid:gid}, so Kubernetes' {@code runAsNonRoot} can check it without an
 *     {@code /etc/passwd} entry
 * @param labels OCI and Modelship labels, sorted
 */
public record ServingContainer(List<String> entrypoint, String user, String workingDirectory, int port,
                               Map<String, String> labels) {
  public static final String APP_DIR = "/app";
  public static final String MODELS_DIR = "/models";
  public static final int PORT = 8080;
  /** The distroless "nonroot" user: not root, and owns none of the image's files. */
  public static final String USER = "65532:65532";
  /**
   * Container-aware heap sizing (the JVM reads the cgroup memory limit; a quarter of it by default is too little for
   * a server), and exit instead of limping on after an OutOfMemoryError so the orchestrator restarts the pod.
   */
  public static final List<String> JVM_FLAGS = List.of("-XX:+UseContainerSupport", "-XX:MaxRAMPercentage=75",
      "-XX:+ExitOnOutOfMemoryError");

  public ServingContainer {
    entrypoint = List.copyOf(entrypoint);
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /**
   * @param modelSha256 hex sha256 of {@code model.onnx}, as the runtime reports it in {@code modelship_model_info}
   * @param baseImage the base image reference the build starts from
   */
  public static ServingContainer of(ImageRequest request, RuntimeDistribution runtime, String modelSha256,
                                    String baseImage) {
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add("java");
    entrypoint.addAll(JVM_FLAGS);
    entrypoint.addAll(List.of("-jar", APP_DIR + "/" + RuntimeDistribution.JAR, "--model-repository", MODELS_DIR));
    Map<String, String> labels = new TreeMap<>();
    labels.put("org.opencontainers.image.title", request.model().name());
    labels.put("org.opencontainers.image.version", request.model().versionText());
    labels.put("org.opencontainers.image.revision", request.pkg().digest());
    labels.put("org.opencontainers.image.created", request.created().toString());
    labels.put("org.opencontainers.image.source", request.source());
    labels.put("org.opencontainers.image.base.name", baseImage);
    labels.put("dev.modelship.model.name", request.model().name());
    labels.put("dev.modelship.model.version", request.model().versionText());
    labels.put("dev.modelship.model.sha256", modelSha256);
    labels.put("dev.modelship.runtime.version", runtime.version());
    labels.put("dev.modelship.runtime.device", request.gpu() ? "cuda" : "cpu");
    return new ServingContainer(entrypoint, USER, APP_DIR, PORT, labels);
  }

  /** Where the model's files are in the image: {@code /models/<name>/<version>}. */
  public static String modelDirectory(ImageRequest request) {
    return MODELS_DIR + "/" + request.model().name() + "/" + request.model().versionText();
  }
}
