package dev.modelship.controller.gitops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The files of a new GitOps repository: {@code gitops-repo-template/} with {@code rollouts/} (without its CRDs)
 * under {@code rollouts/}, packed into the jar by the build, and the repository's own URL and branch written into
 * the Argo CD manifests.
 */
public final class GitOpsTemplate {
  /** The URL the template's Argo CD manifests use until {@code gitops init} writes the real one. */
  static final String PLACEHOLDER_URL = "https://git.example.com/modelship/gitops.git";
  private static final String RESOURCE_ROOT = "template/";
  private static final String ANCHOR = "README.md";

  private final SortedMap<String, String> files;

  private GitOpsTemplate(SortedMap<String, String> files) {
    this.files = files;
  }

  /** The template packed with this build. */
  public static GitOpsTemplate bundled() {
    URL anchor = GitOpsTemplate.class.getResource(RESOURCE_ROOT + ANCHOR);
    if (anchor == null) {
      throw new IllegalStateException("this build carries no GitOps template (resource " + RESOURCE_ROOT + ANCHOR
          + " of " + GitOpsTemplate.class.getPackageName() + ")");
    }
    try {
      if ("jar".equals(anchor.getProtocol())) {
        String location = anchor.getPath();
        Path jar = Path.of(new URL(location.substring(0, location.indexOf("!/"))).toURI());
        String entry = location.substring(location.indexOf("!/") + 2);
        return new GitOpsTemplate(readJar(jar, entry.substring(0, entry.length() - ANCHOR.length())));
      }
      return new GitOpsTemplate(readTree(Path.of(anchor.toURI()).getParent()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled GitOps template", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the bundled GitOps template: " + anchor, e);
    }
  }

  /** Reads the jar as a plain zip: a zip file system would load every installed provider (and their logging). */
  private static SortedMap<String, String> readJar(Path jar, String prefix) throws IOException {
    SortedMap<String, String> files = new TreeMap<>();
    try (JarFile archive = new JarFile(jar.toFile())) {
      for (JarEntry entry : (Iterable<JarEntry>) archive.stream()::iterator) {
        if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
          try (InputStream in = archive.getInputStream(entry)) {
            files.put(entry.getName().substring(prefix.length()), new String(in.readAllBytes(),
                StandardCharsets.UTF_8));
          }
        }
      }
    }
    return files;
  }

  private static SortedMap<String, String> readTree(Path root) throws IOException {
    SortedMap<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path file : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        String relative = root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/");
        files.put(relative, Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  /** Path to content, with {@code repositoryUrl} and {@code branch} in the Argo CD manifests. */
  public Map<String, String> filesFor(String repositoryUrl, String branch) {
    SortedMap<String, String> written = new TreeMap<>();
    files.forEach((path, text) -> written.put(path, text.replace(PLACEHOLDER_URL, repositoryUrl)
        .replace("targetRevision: main\n", "targetRevision: " + branch + "\n")
        .replace("revision: main\n", "revision: " + branch + "\n")));
    return written;
  }

  /** Writes the files under {@code folder}, e.g. to render them with kustomize. */
  public void writeTo(Path folder, String repositoryUrl, String branch) throws IOException {
    for (Map.Entry<String, String> file : filesFor(repositoryUrl, branch).entrySet()) {
      Path target = folder.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
    }
  }
}
