package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds one kustomization the way Kustomize does: its resources (files, and folders built on their own), then its
 * components (each adds its resources and transforms everything gathered so far), then its patches, namespace,
 * labels and images, in that order.
 */
final class KustomizeBuild {
  private final CheckoutFiles files;
  private final Set<Path> building = new LinkedHashSet<>();

  KustomizeBuild(CheckoutFiles files) {
    this.files = files;
  }

  /** The objects of the kustomization in {@code folder} (a real path in the checkout). */
  List<Resource> build(Path folder) throws IOException {
    List<Resource> resources = new ArrayList<>();
    accumulate(folder, resources, false);
    return resources;
  }

  private void accumulate(Path folder, List<Resource> resources, boolean asComponent) throws IOException {
    if (!building.add(folder)) {
      throw new IOException(files.show(folder) + " includes itself: " + building.stream().map(files::show).toList());
    }
    try {
      Kustomization kustomization = Kustomization.read(folder, files.show(folder), files);
      if (kustomization.component() != asComponent) {
        throw new IOException(kustomization.file() + " is a " + (kustomization.component() ? "Component" : "Kustomization")
            + " but is listed under " + (asComponent ? "components" : "resources"));
      }
      String file = kustomization.file();
      for (String entry : kustomization.resources()) {
        Path target = files.resolve(folder, entry, file + " resources");
        List<Resource> added = Files.isDirectory(target) ? build(target) : read(target);
        for (Resource resource : added) {
          add(resources, resource, file);
        }
      }
      for (String entry : kustomization.components()) {
        Path target = files.resolve(folder, entry, file + " components");
        if (!Files.isDirectory(target)) {
          throw new IOException(file + " components entry " + entry + " is a file, not a component's folder");
        }
        accumulate(target, resources, true);
      }
      Patches.apply(kustomization, folder, files, resources);
      if (kustomization.namespace().isPresent()) {
        Transformers.namespace(kustomization.namespace().get(), resources, file);
      }
      Transformers.labels(kustomization.labels(), resources);
      Transformers.images(kustomization.images(), resources);
    } finally {
      building.remove(folder);
    }
  }

  private static void add(List<Resource> resources, Resource resource, String file) throws IOException {
    for (Resource existing : resources) {
      if (existing.id().equals(resource.id())) {
        throw new IOException(file + ": " + resource.id() + " comes twice (from " + existing.origin() + " and "
            + resource.origin() + ")");
      }
    }
    resources.add(resource);
  }

  private List<Resource> read(Path file) throws IOException {
    String show = files.show(file);
    List<Resource> objects = new ArrayList<>();
    for (JsonNode document : files.documents(file)) {
      if (!document.isObject()) {
        throw new IOException(show + " holds a YAML document that is not an object");
      }
      String kind = document.path("kind").asText("");
      if (kind.equals("List") || kind.endsWith("List") && document.has("items")) {
        throw new KustomizationRefused(show, "a " + kind + " of objects (write one object per document)");
      }
      if (!document.path("apiVersion").isTextual() || kind.isEmpty()
          || !document.path("metadata").path("name").isTextual()) {
        throw new IOException(show + ": every object needs apiVersion, kind and metadata.name");
      }
      objects.add(new Resource((ObjectNode) document, show));
    }
    return objects;
  }
}
