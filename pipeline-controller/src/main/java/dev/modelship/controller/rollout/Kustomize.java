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
 * so it renders with the real tool rather than its own approximation; without either tool it says so.
 */
public final class Kustomize {
  private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(60);

  private final List<String> command;
  private final java.time.Duration timeout;

  private Kustomize(List<String> command, java.time.Duration timeout) {
    this.command = List.copyOf(command);
    this.timeout = timeout;
  }

  /** The same tool with another time limit per render (default 60 s); a render over it is stopped. */
  public Kustomize withTimeout(java.time.Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("the kustomize time limit must be positive, not " + limit);
    }
    return new Kustomize(command, limit);
  }

  /** {@code kubectl kustomize} or {@code kustomize build}, whichever is on {@code PATH} (kubectl first). */
  public static Kustomize locate(Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    Optional<Path> kubectl = onPath(path, "kubectl");
    if (kubectl.isPresent()) {
      return new Kustomize(List.of(kubectl.get().toString(), "kustomize"), TIMEOUT);
    }
    Optional<Path> kustomize = onPath(path, "kustomize");
    if (kustomize.isPresent()) {
      return new Kustomize(List.of(kustomize.get().toString(), "build"), TIMEOUT);
    }
    throw new IllegalStateException("neither kubectl nor kustomize is on PATH: the local engine renders the GitOps "
        + "overlays with `kubectl kustomize` as Argo CD would. Install kubectl 1.27 or newer "
        + "(https://kubernetes.io/docs/tasks/tools/, or the apt repository pkgs.k8s.io) or kustomize 5");
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
  public String describe() {
    return String.join(" ", command);
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
