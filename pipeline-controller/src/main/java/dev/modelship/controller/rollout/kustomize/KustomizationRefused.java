package dev.modelship.controller.rollout.kustomize;

import java.io.IOException;

/**
 * A kustomization uses something outside what Modelship's built-in reader supports; the message names the field and
 * the file, and says to install kubectl. Never an approximation: the reader renders exactly, or refuses.
 */
public final class KustomizationRefused extends IOException {
  private static final long serialVersionUID = 1L;

  KustomizationRefused(String file, String what) {
    super(file + ": " + what + " is not supported by Modelship's built-in Kustomize reader (it reads "
        + BuiltInKustomize.SUPPORTED + "); install kubectl 1.27 or newer to render this overlay with Kustomize "
        + "itself");
  }

  /** The same refusal, its message led by {@code context}. */
  KustomizationRefused(String context, KustomizationRefused cause) {
    super(context + cause.getMessage(), cause);
  }
}
