package dev.modelship.controller.gitops;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize} (Kustomize built into kubectl), which renders overlays offline. kubectl is not a Debian
 * package; without it these tests fail and say so, they do not skip.
 */
final class Kubectl {
  private final Path executable;

  private Kubectl(Path executable) {
    this.executable = executable;
  }

  static Kubectl require() {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(folder, "kubectl");
      if (Files.isExecutable(candidate)) {
        return new Kubectl(candidate);
      }
    }
    throw new IllegalStateException("kubectl is not installed (not on PATH): the GitOps template tests render every "
        + "overlay with `kubectl kustomize`. Install kubectl 1.27 or newer (https://kubernetes.io/docs/tasks/tools/, "
        + "or the Kubernetes apt repository pkgs.k8s.io) and run the tests again");
  }

  /** The rendered YAML of the kustomization in {@code folder}; a failed render fails the test with kubectl's words. */
  String kustomize(Path folder) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("kustomize", ".err");
    try {
      Process process = new ProcessBuilder(executable.toString(), "kustomize", folder.toString())
          .redirectError(errors.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + folder + " did not finish in 60 s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + folder + " failed: " + Files.readString(errors));
      }
      return out;
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
