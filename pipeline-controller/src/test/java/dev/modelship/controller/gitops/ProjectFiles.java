package dev.modelship.controller.gitops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Folders of the Modelship project the tests read (they run in pipeline-controller/). */
final class ProjectFiles {
  private ProjectFiles() {
  }

  static Path root() {
    Path root = Path.of("").toAbsolutePath().getParent();
    if (!Files.isDirectory(root.resolve("rollouts").resolve("crds"))) {
      throw new IllegalStateException("tests must run in pipeline-controller/ of the Modelship project; "
          + root.resolve("rollouts/crds") + " is missing");
    }
    return root;
  }

  static Path crd(String file) {
    return root().resolve("rollouts").resolve("crds").resolve(file);
  }
}
