package dev.modelship.controller.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, entry by entry, what of a package archive lands in the package folder. Only the package's own files are
 * written, either at the archive's top or inside one top folder, always under their own name in {@code folder}:
 * an entry name is never used as a path, so {@code ..}, absolute names and links cannot reach outside it. Sizes
 * are counted as bytes arrive, not taken from headers.
 */
final class PackageEntryWriter {
  private final Path archive;
  private final Path folder;
  private final ArchiveLimits limits;
  private final Set<String> written = new HashSet<>();
  private String topFolder;
  private Boolean filesInsideFolder;
  private int entries;
  private long totalBytes;

  PackageEntryWriter(Path archive, Path folder, ArchiveLimits limits) {
    this.archive = archive;
    this.folder = folder;
    this.limits = limits;
  }

  void directory(String name) throws RegistryException {
    countEntry();
    List<String> parts = safeParts(name);
    if (parts.size() > 1) {
      throw invalid("entry '" + name + "' is a nested folder; a package archive holds "
          + String.join(", ", ModelPackage.FILE_NAMES) + " at its top or inside one folder");
    }
    if (parts.size() == 1) {
      checkTopFolder(name, parts.get(0));
    }
  }

  void file(String name, long declaredSize, InputStream data) throws RegistryException, IOException {
    countEntry();
    List<String> parts = safeParts(name);
    if (parts.isEmpty() || parts.size() > 2) {
      throw invalid("unexpected entry '" + name + "'; a package archive holds " + String.join(", ",
          ModelPackage.FILE_NAMES) + " at its top or inside one folder");
    }
    boolean inside = parts.size() == 2;
    if (filesInsideFolder != null && filesInsideFolder != inside) {
      throw invalid("entry '" + name + "': package files lie both at the top and inside a folder");
    }
    filesInsideFolder = inside;
    if (inside) {
      checkTopFolder(name, parts.get(0));
    }
    String fileName = parts.get(parts.size() - 1);
    if (!ModelPackage.FILE_NAMES.contains(fileName)) {
      throw invalid("unexpected entry '" + name + "' (a model package holds only "
          + String.join(", ", ModelPackage.FILE_NAMES) + ")");
    }
    if (!written.add(fileName)) {
      throw invalid("entry '" + name + "' appears twice");
    }
    if (declaredSize > limits.maxEntryBytes()) {
      throw tooLarge(name, declaredSize);
    }
    copyCounting(name, data, folder.resolve(fileName));
  }

  /** After the last entry: the package's required files must have been in the archive. */
  void finish() throws RegistryException {
    for (String required : List.of(ModelPackage.MODEL_FILE, ModelPackage.MANIFEST_FILE)) {
      if (!written.contains(required)) {
        throw invalid("it holds no " + required + " (a package archive holds " + String.join(", ",
            ModelPackage.FILE_NAMES) + " at its top or inside one folder)");
      }
    }
  }

  /** An entry type that is never unpacked: links, devices, pipes and the like. */
  void refuse(String name, String what) throws RegistryException {
    countEntry();
    throw invalid("entry '" + name + "' is " + what + "; a package archive may hold only regular files and folders");
  }

  private void countEntry() throws RegistryException {
    if (++entries > limits.maxEntries()) {
      throw invalid("it has more than " + limits.maxEntries() + " entries");
    }
  }

  private void copyCounting(String name, InputStream data, Path target) throws RegistryException, IOException {
    byte[] buffer = new byte[1 << 16];
    long entryBytes = 0;
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
      for (int read; (read = data.read(buffer)) > 0; ) {
        entryBytes += read;
        totalBytes += read;
        if (entryBytes > limits.maxEntryBytes()) {
          throw tooLarge(name, entryBytes);
        }
        if (totalBytes > limits.maxTotalBytes()) {
          throw invalid("it unpacks to more than " + limits.maxTotalBytes() + " bytes");
        }
        out.write(buffer, 0, read);
      }
    }
  }

  private void checkTopFolder(String name, String top) throws RegistryException {
    if (topFolder == null) {
      topFolder = top;
    } else if (!topFolder.equals(top)) {
      throw invalid("entry '" + name + "' lies outside the package folder '" + topFolder + "'");
    }
  }

  /** The name's components without {@code .}; refuses anything that could point outside the package folder. */
  private List<String> safeParts(String name) throws RegistryException {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw invalid("an entry has an empty or malformed name");
    }
    if (name.indexOf('\\') >= 0) {
      throw invalid("entry '" + name + "' contains a backslash");
    }
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      throw invalid("entry '" + name + "' has an absolute path");
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw invalid("entry '" + name + "' climbs out of the archive with '..'");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }

  private RegistryException tooLarge(String name, long bytes) {
    return invalid("entry '" + name + "' is larger than the limit of " + limits.maxEntryBytes() + " bytes (at least "
        + bytes + ")");
  }

  private RegistryException invalid(String problem) {
    return new RegistryException(RegistryException.Kind.INVALID, "refusing archive " + archive + ": " + problem);
  }
}
