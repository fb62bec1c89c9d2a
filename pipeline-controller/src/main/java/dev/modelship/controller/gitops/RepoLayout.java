package dev.modelship.controller.gitops;

import java.util.regex.Pattern;

/**
 * Where things live in a Modelship GitOps repository (the layout of {@code gitops-repo-template/}): one folder per
 * model app under {@code apps/}, a Kustomize base and one overlay per environment, scaffolded from
 * {@code templates/model-app/}.
 */
public final class RepoLayout {
  /** The skeleton a new app is copied from; its files name the model {@link #TEMPLATE_MODEL}. */
  public static final String APP_TEMPLATE = "templates/model-app/";
  /** The model name the skeleton's files use, replaced by the real one when an app is scaffolded. */
  public static final String TEMPLATE_MODEL = "example-model";
  /** The image name the base Rollout uses; an overlay's {@code images:} entry of this name pins the release. */
  public static final String IMAGE_NAME = "modelship-serving";
  /** Kubernetes object names of an app are the model name plus suffixes such as {@code -canary}. */
  private static final Pattern KUBERNETES_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?");

  private RepoLayout() {
  }

  public static String appFolder(String model) {
    return "apps/" + model + "/";
  }

  public static String overlayFolder(String model, String environment) {
    return appFolder(model) + "overlays/" + environment + "/";
  }

  public static String kustomization(String model, String environment) {
    return overlayFolder(model, environment) + "kustomization.yaml";
  }

  /** The overlay's small patch holding the served model version (see {@link ReleaseVersionFile}). */
  public static String releaseFile(String model, String environment) {
    return overlayFolder(model, environment) + "release.yaml";
  }

  /** A model name that can name the app's Kubernetes objects; the runtime allows more than Kubernetes does. */
  public static String requireAppName(String model) {
    if (model == null || !KUBERNETES_NAME.matcher(model).matches()) {
      throw new IllegalArgumentException("model name '" + model + "' cannot name Kubernetes objects: a GitOps app "
          + "needs lowercase letters, digits and '-', at most 50 characters, starting and ending with a letter or "
          + "digit");
    }
    return model;
  }

  public static String requireEnvironment(String environment) {
    if (environment == null || !KUBERNETES_NAME.matcher(environment).matches()) {
      throw new IllegalArgumentException("environment '" + environment + "' is not a folder name an overlay can "
          + "have (lowercase letters, digits and '-')");
    }
    return environment;
  }
}
