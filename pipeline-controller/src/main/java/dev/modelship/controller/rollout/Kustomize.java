package dev.modelship.controller.rollout;

import dev.modelship.controller.rollout.kustomize.BuiltInKustomize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a GitOps overlay to the manifests Argo CD would apply: the real Kustomize ({@link KustomizeTool}) where
 * it is installed, else Modelship's built-in reader of the subset of Kustomize the GitOps template uses
 * ({@link BuiltInKustomize}), which refuses anything outside that subset rather than approximating it.
 */
public interface Kustomize {
  /** Forces a renderer: {@code kubectl} (kubectl or a standalone kustomize, an error without) or {@code builtin}. */
  String CHOICE_VARIABLE = "MODELSHIP_KUSTOMIZE";

  /**
   * The rendered manifests of the kustomization in {@code folder}, a folder of the repository checkout {@code root}
   * (the built-in reader refuses to read anything outside it).
   *
   * @throws IOException naming the folder and why it cannot be rendered
   */
  String render(Path root, Path folder) throws IOException, InterruptedException;

  /** What renders, for messages. */
  String describe();

  /**
   * The renderer {@code env} asks for: {@value #CHOICE_VARIABLE} when set, else kubectl or kustomize from
   * {@code PATH}, else the built-in reader (saying so in a warning).
   *
   * @throws IllegalStateException for an unknown choice, or {@code kubectl} chosen where neither tool is installed
   */
  static Kustomize locate(Map<String, String> env) {
    String choice = env.getOrDefault(CHOICE_VARIABLE, "").strip().toLowerCase(Locale.ROOT);
    switch (choice) {
      case "kubectl":
        return KustomizeTool.locate(env);
      case "builtin":
        return new BuiltInKustomize();
      case "":
        Optional<KustomizeTool> tool = KustomizeTool.find(env);
        if (tool.isPresent()) {
          return tool.get();
        }
        Logger log = LoggerFactory.getLogger(Kustomize.class);
        log.warn("kubectl not found: rendering overlays with Modelship's built-in reader (supports: {}); install "
            + "kubectl to render exactly as Argo CD does", BuiltInKustomize.SUPPORTED);
        return new BuiltInKustomize();
      default:
        throw new IllegalStateException(CHOICE_VARIABLE + "=" + env.get(CHOICE_VARIABLE) + " is not a renderer: "
            + "use kubectl (kubectl kustomize or kustomize build, which must be installed) or builtin (Modelship's "
            + "own reader of " + BuiltInKustomize.SUPPORTED + "), or leave it unset to use kubectl when installed");
    }
  }
}
