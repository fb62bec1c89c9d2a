package dev.modelship.controller.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a (ustar, pax or GNU) tar such as an image layer, independently of Jib: headers and small contents. */
final class TarEntries {
  private static final int BLOCK = 512;

  private TarEntries() {
  }

  /** Entries by path (as written, e.g. {@code app/lib/x.jar}), in archive order. */
  static Map<String, Entry> read(byte[] tar) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    String longName = null;
    for (int offset = 0; offset + BLOCK <= tar.length; ) {
      byte[] header = Arrays.copyOfRange(tar, offset, offset + BLOCK);
      if (isZero(header)) {
        break;
      }
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      byte[] content = Arrays.copyOfRange(tar, offset + BLOCK, (int) (offset + BLOCK + size));
      offset += BLOCK + (int) ((size + BLOCK - 1) / BLOCK) * BLOCK;
      if (type == 'L') {
        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
        continue;
      }
      if (type == 'x' || type == 'g') {
        longName = paxPath(content);
        continue;
      }
      String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
      longName = null;
      entries.put(path, new Entry(path, type, (int) octal(header, 100, 8), octal(header, 108, 8),
          octal(header, 116, 8), octal(header, 136, 12), size, size <= 1 << 16 ? content : null));
    }
    return entries;
  }

  /** The {@code path} record of a pax extended header ({@code "<length> path=<value>\n"}), or null. */
  private static String paxPath(byte[] records) {
    for (String record : new String(records, StandardCharsets.UTF_8).split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    String text = text(header, offset, length).trim();
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  /** @param content the bytes of entries up to 64 KiB, else null */
  record Entry(String path, char type, int mode, long uid, long gid, long modifiedSeconds, long size, byte[] content) {
    boolean isDirectory() {
      return type == '5';
    }

    String contentText() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }
}
