package dev.modelship.controller.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds tar.gz and zip archives entry by entry, including the hostile entries no archiver would write. */
final class TestArchives {
  private TestArchives() {
  }

  /** A ustar stream; each entry is written exactly as given. */
  static final class Tar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Tar file(String name, byte[] content) {
      return entry(name, '0', content, "");
    }

    Tar file(String name, Path content) throws IOException {
      return file(name, Files.readAllBytes(content));
    }

    Tar folder(String name) {
      return entry(name, '5', new byte[0], "");
    }

    Tar link(String name, char type, String target) {
      return entry(name, type, new byte[0], target);
    }

    /** A file whose header declares {@code size} bytes, followed by that many zero bytes. */
    Tar fileOfSize(String name, int size) {
      return entry(name, '0', new byte[size], "");
    }

    Tar pax(String key, String value) {
      String record = " " + key + "=" + value + "\n";
      int length = record.length();
      length += Integer.toString(length + Integer.toString(length).length()).length();
      return entry("PaxHeader", 'x', (length + record).getBytes(StandardCharsets.UTF_8), "");
    }

    Tar entry(String name, char type, byte[] content, String linkTarget) {
      byte[] header = new byte[512];
      put(header, 0, 100, name);
      put(header, 100, 8, "0000644");
      put(header, 108, 8, "0000000");
      put(header, 116, 8, "0000000");
      put(header, 124, 12, String.format("%011o", content.length));
      put(header, 136, 12, "00000000000");
      header[156] = (byte) type;
      put(header, 157, 100, linkTarget);
      put(header, 257, 6, "ustar");
      put(header, 263, 2, "00");
      for (int i = 148; i < 156; i++) {
        header[i] = ' ';
      }
      int sum = 0;
      for (byte b : header) {
        sum += b & 0xff;
      }
      put(header, 148, 8, String.format("%06o", sum) + "\0 ");
      bytes.writeBytes(header);
      bytes.writeBytes(content);
      bytes.writeBytes(new byte[(512 - content.length % 512) % 512]);
      return this;
    }

    Path writeGzip(Path file) throws IOException {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(bytes.toByteArray());
        out.write(new byte[1024]);
      }
      return file;
    }

    private static void put(byte[] header, int offset, int length, String value) {
      byte[] text = value.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(text, 0, header, offset, Math.min(length, text.length));
    }
  }

  /** Writes a zip whose entries may carry a Unix file type (a symbolic link is {@code 0120000}). */
  static Path zip(Path file, Object... namesAndContents) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry((String) namesAndContents[i]));
        Object content = namesAndContents[i + 1];
        zip.write(content instanceof Path path ? Files.readAllBytes(path) : (byte[]) content);
        zip.closeEntry();
      }
    }
    return file;
  }

  /** Marks the zip entry {@code name} as written on Unix with file type bits {@code type}. */
  static void setUnixType(Path zip, String name, int type) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 < bytes.length; i++) {
      if (buffer.getInt(i) == 0x02014b50 && Short.toUnsignedInt(buffer.getShort(i + 28)) == wanted.length
          && java.util.Arrays.equals(bytes, i + 46, i + 46 + wanted.length, wanted, 0, wanted.length)) {
        bytes[i + 5] = 3;
        buffer.putInt(i + 38, (type | 0777) << 16);
      }
    }
    Files.write(zip, bytes);
  }
}
