package dev.modelship.controller.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every path under a folder with what it is: "dir", "link -> target" or the file's sha256 and modification time. */
final class RegistryTree {
  private RegistryTree() {
  }

  static SortedMap<String, String> snapshot(Path root) throws IOException {
    SortedMap<String, String> entries = new TreeMap<>();
    if (!Files.exists(root)) {
      return entries;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.toList()) {
        String relative = root.relativize(path).toString();
        if (Files.isSymbolicLink(path)) {
          entries.put(relative, "link -> " + Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(relative, "dir");
        } else {
          entries.put(relative, ModelPackage.sha256(path) + " " + Files.getLastModifiedTime(path));
        }
      }
    }
    return entries;
  }
}
