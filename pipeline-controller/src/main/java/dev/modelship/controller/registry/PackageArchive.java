package dev.modelship.controller.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Unpacks a package folder shipped as {@code .tar.gz}, {@code .tgz} or {@code .zip}, refusing anything unsafe. */
final class PackageArchive {
  private PackageArchive() {
  }

  static boolean isArchive(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".zip");
  }

  /** Unpacks {@code archive} into the empty {@code folder}; on failure the caller discards the folder. */
  static void extract(Path archive, Path folder, ArchiveLimits limits) throws RegistryException {
    PackageEntryWriter writer = new PackageEntryWriter(archive, folder, limits);
    try {
      if (archive.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
        extractZip(archive, writer);
      } else {
        extractTarGz(archive, writer);
      }
      writer.finish();
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, "cannot unpack " + archive + ": "
          + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
  }

  private static void extractTarGz(Path archive, PackageEntryWriter writer) throws IOException, RegistryException {
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
      TarReader tar = new TarReader(in);
      for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
        switch (entry.type()) {
          case FILE -> writer.file(entry.name(), entry.size(), tar.data());
          case DIRECTORY -> writer.directory(entry.name());
          case SYMBOLIC_LINK -> writer.refuse(entry.name(), "a symbolic link");
          case HARD_LINK -> writer.refuse(entry.name(), "a hard link");
          case CHARACTER_DEVICE, BLOCK_DEVICE -> writer.refuse(entry.name(), "a device file");
          case FIFO -> writer.refuse(entry.name(), "a named pipe");
          case OTHER -> writer.refuse(entry.name(), "of tar type '" + entry.typeFlag() + "'");
        }
      }
    } catch (ZipException e) {
      throw new IOException("not a gzip-compressed tar archive (" + e.getMessage() + ")", e);
    }
  }

  private static void extractZip(Path archive, PackageEntryWriter writer) throws IOException, RegistryException {
    Map<String, Integer> modes = ZipEntryModes.read(archive);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        int type = modes.getOrDefault(entry.getName(), 0);
        if (type == ZipEntryModes.SYMBOLIC_LINK) {
          writer.refuse(entry.getName(), "a symbolic link");
        } else if (type != 0 && type != ZipEntryModes.REGULAR_FILE && type != ZipEntryModes.DIRECTORY) {
          writer.refuse(entry.getName(), "a special file (mode " + Integer.toOctalString(type) + ")");
        } else if (entry.isDirectory() || type == ZipEntryModes.DIRECTORY) {
          writer.directory(entry.getName());
        } else {
          try (InputStream data = zip.getInputStream(entry)) {
            writer.file(entry.getName(), entry.getSize(), data);
          }
        }
      }
    } catch (ZipException e) {
      throw new IOException("not a valid zip archive (" + e.getMessage() + ")", e);
    }
  }
}
