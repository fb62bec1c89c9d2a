package dev.modelship.controller.gitops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The files a model's first release to an environment adds: the app's base and components, if the app is new,
 * and the environment's overlay, copied from the repository's own {@code templates/model-app/} with the model's
 * name put in. Teams change that template in their repository; apps scaffolded later follow it.
 */
final class AppScaffold {
  private AppScaffold() {
  }

  /** Path (from the repository root) to content; empty when the app already has its base and that overlay. */
  static Map<String, String> filesFor(RepoSnapshot snapshot, String model, String environment)
      throws GitOpsException {
    String app = RepoLayout.appFolder(model);
    boolean hasBase = snapshot.exists(app + "base/kustomization.yaml");
    boolean hasOverlay = snapshot.exists(RepoLayout.kustomization(model, environment));
    Map<String, String> added = new LinkedHashMap<>();
    if (hasBase && hasOverlay) {
      return added;
    }
    Map<String, String> template = snapshot.readFolder(RepoLayout.APP_TEMPLATE);
    if (template.isEmpty()) {
      throw new GitOpsException(GitOpsException.Kind.NOT_FOUND, "the repository has no " + RepoLayout.APP_TEMPLATE
          + " to scaffold " + app + " from: run `modelship gitops init` on an empty repository, or write the app "
          + "folder by hand");
    }
    String overlay = "overlays/" + environment + "/";
    if (!hasOverlay && template.keySet().stream().noneMatch(path -> path.startsWith(overlay))) {
      TreeSet<String> known = new TreeSet<>();
      template.keySet().stream().filter(path -> path.startsWith("overlays/"))
          .forEach(path -> known.add(path.split("/")[1]));
      throw new GitOpsException(GitOpsException.Kind.NOT_FOUND, "no environment '" + environment + "': "
          + RepoLayout.APP_TEMPLATE + "overlays/ has " + String.join(", ", known));
    }
    template.forEach((path, text) -> {
      boolean wanted = path.startsWith("overlays/") ? !hasOverlay && path.startsWith(overlay) : !hasBase;
      if (wanted) {
        added.put(app + path, text.replace(RepoLayout.TEMPLATE_MODEL, model));
      }
    });
    return added;
  }
}
