package dev.modelship.controller.rollout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization as Argo CD does: with Kustomize, here {@code kubectl kustomize} (Kustomize built into
 * kubectl 1.27+) or a standalone {@code kustomize build}. The local engine deploys exactly what the cluster would,
 * so it prefers the real tool; {@link Kustomize#locate} falls back to the built-in reader only without one.
 */
public final class KustomizeTool implements Kustomize {
  private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(60);

  private final List<String> command;
  private final java.time.Duration timeout;

  private KustomizeTool(List<String> command, java.time.Duration timeout) {
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  /** The same tool with another time limit per render (default 60 s); a render over it is stopped. */
  public KustomizeTool withTimeout(java.time.Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the kustomize time limit must be positive, not " + limit);
    }
    return new KustomizeTool(command, limit);
  }

  /**
   * {@code kubectl kustomize} or {@code kustomize build}, whichever is on {@code PATH} (kubectl first).
   *
   * @throws IllegalStateException naming both tools and how to install them when neither is there
   */
  public static KustomizeTool locate(Map<String, String> env) {
    return find(env).orElseThrow(() -> new IllegalStateException("neither kubectl nor kustomize is on PATH: the local engine renders the GitOps "
        + "overlays with `kubectl kustomize` as Argo CD would. Install kubectl 1.27 or newer "
        + "(https://kubernetes.io/docs/tasks/tools/, or the apt repository pkgs.k8s.io) or kustomize 5"));
  }

  /** {@code kubectl kustomize} or {@code kustomize build}, whichever is on {@code PATH} (kubectl first), if any. */
  public static Optional<KustomizeTool> find(Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    Optional<Path> kubectl = onPath(path, "kubectl");
    if (kubectl.isPresent()) {
      return Optional.of(new KustomizeTool(List.of(kubectl.get().toString(), "kustomize"), TIMEOUT));
    }
    return onPath(path, "kustomize").map(tool -> new KustomizeTool(List.of(tool.toString(), "build"), TIMEOUT));
  }

  private static Optional<Path> onPath(String path, String name) {
    for (String folder : path.split(File.pathSeparator)) {
      if (!folder.isEmpty()) {
        Path candidate = Path.of(folder, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** The command line, for messages. */
  @Override
  public String describe() {
    return String.join(" ", command);
  }

  /** Kustomize keeps its own rule on what a kustomization may read (files in or below its folder). */
  @Override
  public String render(Path root, Path folder) throws IOException, InterruptedException {
    return render(folder);
  }

  /**
   * The rendered manifests of the kustomization in {@code folder}.
   *
   * @throws IOException naming the folder and quoting Kustomize's error when the render fails
   */
  public String render(Path folder) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("modelship-kustomize", ".err");
    Path output = Files.createTempFile("modelship-kustomize", ".out");
    try {
      List<String> line = new java.util.ArrayList<>(command);
      line.add(folder.toString());
      // both streams go to files, so a tool that hangs cannot block a read: the wait below bounds the render
      Process process = new ProcessBuilder(line).redirectError(errors.toFile()).redirectOutput(output.toFile())
          .start();
      process.getOutputStream().close();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException stopping) {
        process.destroyForcibly();
        throw stopping;
      }
      if (!finished) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IOException(describe() + " " + folder + " did not finish in " + seconds(timeout)
            + ": stopped it");
      }
      byte[] out = Files.readAllBytes(output);
      if (process.exitValue() != 0) {
        String why = Files.readString(errors).strip();
        throw new IOException("cannot render " + folder + ": " + (why.isEmpty() ? describe() + " exited with "
            + process.exitValue() : why));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(errors);
      Files.deleteIfExists(output);
    }
  }

  private static String seconds(java.time.Duration limit) {
    return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
  }
}
