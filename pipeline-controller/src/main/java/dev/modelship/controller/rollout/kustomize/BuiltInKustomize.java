package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.modelship.controller.rollout.Kustomize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Modelship's own reading of the Kustomize subset the GitOps template uses, for machines without kubectl: resources
 * (files and folders), components, namespace, labels (pairs), images (newName, newTag, digest) and patches
 * (strategic merge, and JSON patches with a group/version/kind/name target). Everything else is refused naming the
 * field and the file (see {@link KustomizationRefused}); nothing outside the repository checkout is read. The output
 * is the same objects {@code kubectl kustomize} renders, in the same order.
 */
public final class BuiltInKustomize implements Kustomize {
  /** What the reader supports, for messages. */
  public static final String SUPPORTED = "resources (files and folders), components, namespace, labels (pairs), "
      + "images (newName, newTag, digest), patches (strategic merge; JSON patch with a target of group, version, "
      + "kind, name)";
  private static final List<String> ORDER_FIRST = List.of("Namespace", "ResourceQuota", "StorageClass",
      "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
      "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass",
      "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget");
  private static final List<String> ORDER_LAST = List.of("MutatingWebhookConfiguration",
      "ValidatingWebhookConfiguration");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  /**
   * {@inheritDoc} A refusal is a {@link KustomizationRefused}; both it and every other error start, as the tool's
   * do, with "cannot render" and the folder.
   */
  @Override
  public String render(Path root, Path folder) throws IOException {
    String context = "cannot render " + folder + ": ";
    try {
      return build(root, folder);
    } catch (KustomizationRefused e) {
      throw new KustomizationRefused(context, e);
    } catch (IOException e) {
      throw new IOException(context + e.getMessage(), e);
    }
  }

  private static String build(Path root, Path folder) throws IOException {
    CheckoutFiles files = new CheckoutFiles(root);
    Path start = files.requireFolderInside(folder, "the overlay " + folder);
    List<Resource> resources = new ArrayList<>(new KustomizeBuild(files).build(start));
    resources.sort(Comparator.comparingInt(BuiltInKustomize::rank).thenComparing(Resource::gvk)
        .thenComparing(Resource::namespace).thenComparing(Resource::name));
    StringBuilder out = new StringBuilder();
    for (Resource resource : resources) {
      if (!out.isEmpty()) {
        out.append("---\n");
      }
      out.append(YAML.writeValueAsString(resource.body()));
    }
    return out.toString();
  }

  /** Kustomize's legacy order: namespaces, accounts and config first, webhooks last, the rest between. */
  private static int rank(Resource resource) {
    int first = ORDER_FIRST.indexOf(resource.kind());
    if (first >= 0) {
      return first;
    }
    int last = ORDER_LAST.indexOf(resource.kind());
    return last >= 0 ? ORDER_FIRST.size() + 1 + last : ORDER_FIRST.size();
  }

  @Override
  public String describe() {
    return "Modelship's built-in Kustomize reader";
  }
}
