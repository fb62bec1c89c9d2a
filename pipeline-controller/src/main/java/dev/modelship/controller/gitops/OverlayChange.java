package dev.modelship.controller.gitops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets one environment's overlay of one model app to an image and version, scaffolding the app first if needed:
 * the change behind a release, a promotion and a rollback. On a retry it finds the change already made (nothing to
 * do), rebuilds it on the new head, or - when someone else changed the same overlay in between - stops with a
 * conflict rather than overwrite them.
 */
final class OverlayChange implements ChangePlanner {
  /** The commit message, given what the overlay pinned before and whether the app was scaffolded. */
  interface Message {
    String write(OverlayState previous, boolean scaffolded) throws GitOpsException;
  }

  private final String model;
  private final String environment;
  private final PinnedImage image;
  private final String version;
  private final Message message;
  private OverlayState firstSeen;

  OverlayChange(String model, String environment, PinnedImage image, String version, Message message) {
    this.model = RepoLayout.requireAppName(model);
    this.environment = RepoLayout.requireEnvironment(environment);
    this.image = image;
    this.version = version;
    this.message = message;
  }

  @Override
  public Plan plan(RepoSnapshot snapshot) throws GitOpsException {
    requireBranch(snapshot);
    Map<String, String> files = new LinkedHashMap<>(AppScaffold.filesFor(snapshot, model, environment));
    boolean scaffolded = !files.isEmpty();
    String kustomizationPath = RepoLayout.kustomization(model, environment);
    String releasePath = RepoLayout.releaseFile(model, environment);
    String kustomization = current(snapshot, files, kustomizationPath);
    String releaseFile = current(snapshot, files, releasePath);
    OverlayState state = OverlayState.read(kustomization, releaseFile);
    if (state.pins(image, version)) {
      return Plan.unchanged(RepoLayout.overlayFolder(model, environment) + " already pins " + model + ":" + version
          + " (" + image + ")");
    }
    if (firstSeen == null) {
      firstSeen = state;
    } else if (!state.equals(firstSeen)) {
      throw new GitOpsException(GitOpsException.Kind.CONFLICT, environment + " of " + model + " was changed by "
          + "someone else while this change was being pushed: it now pins " + state.describe(model) + " (head "
          + snapshot.head().orElseThrow().getName().substring(0, 12) + "). Nothing was overwritten; run the command "
          + "again to replace it");
    }
    files.put(kustomizationPath, KustomizationImages.set(kustomization, KustomizationImages.Entry.pinning(image)));
    files.put(releasePath, ReleaseVersionFile.withVersion(releaseFile, version));
    return Plan.commit(files, message.write(state, scaffolded));
  }

  static void requireBranch(RepoSnapshot snapshot) throws GitOpsException {
    if (snapshot.head().isEmpty()) {
      throw new GitOpsException(GitOpsException.Kind.NOT_FOUND, "the GitOps branch does not exist yet: run "
          + "`modelship gitops init` first");
    }
  }

  private String current(RepoSnapshot snapshot, Map<String, String> scaffold, String path) throws GitOpsException {
    String text = scaffold.containsKey(path) ? scaffold.get(path) : snapshot.read(path).orElse(null);
    if (text == null) {
      throw new GitOpsException(GitOpsException.Kind.UNEDITABLE, path + " is missing: the overlay of " + model
          + " in " + environment + " needs it (copy it from " + RepoLayout.APP_TEMPLATE + "overlays/" + environment
          + "/)");
    }
    return text;
  }
}
