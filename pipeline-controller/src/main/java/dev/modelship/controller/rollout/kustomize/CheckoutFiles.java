package dev.modelship.controller.rollout.kustomize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one repository checkout, as a kustomization may reach them: a folder (a resource or component) must
 * lie in the checkout, a file (a resource or patch) in or below the kustomization's own folder, as Kustomize's
 * default load restriction has it. Both are checked after following symbolic links.
 */
final class CheckoutFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

  private final Path root;

  CheckoutFiles(Path root) throws IOException {
    this.root = root.toRealPath();
  }

  /** {@code path} relative to the checkout, for messages. */
  String show(Path path) {
    Path normal = path.toAbsolutePath().normalize();
    return normal.startsWith(root) ? root.relativize(normal).toString() : normal.toString();
  }

  /** The real folder, which must be in the checkout. */
  Path requireFolderInside(Path folder, String what) throws IOException {
    Path real = real(folder, what);
    if (!real.startsWith(root)) {
      throw new IOException(what + " leaves the repository checkout (" + root + "): the built-in reader reads only "
          + "files of the checkout");
    }
    return real;
  }

  /**
   * What the entry {@code entry} of the kustomization in {@code folder} names: a folder in the checkout or a file
   * in or below {@code folder}.
   */
  Path resolve(Path folder, String entry, String what) throws IOException {
    if (entry.contains("://") || entry.startsWith("github.com/") || entry.startsWith("git@")) {
      throw new KustomizationRefused(what, "the remote resource " + entry);
    }
    Path target = folder.resolve(entry);
    Path real = real(target, what + " entry " + entry);
    if (Files.isDirectory(real)) {
      return requireFolderInside(target, what + " entry " + entry);
    }
    if (!real.startsWith(folder) || !real.startsWith(root)) {
      throw new IOException(what + " entry " + entry + ": the file " + show(real) + " is not in or below "
          + show(folder) + " (Kustomize reads a file only from the kustomization's own folder; name the folder "
          + "of its kustomization instead)");
    }
    return real;
  }

  private Path real(Path path, String what) throws IOException {
    try {
      return path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new IOException(what + ": " + show(path) + " does not exist", e);
    }
  }

  /** The YAML documents of a file, empty ones left out. */
  List<JsonNode> documents(Path file) throws IOException {
    return documents(Files.readString(file), show(file));
  }

  /** The YAML documents of a text, empty ones left out. */
  static List<JsonNode> documents(String text, String where) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(text)) {
      for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(where + " is not valid YAML: " + e.getOriginalMessage(), e);
    }
    return documents;
  }
}
