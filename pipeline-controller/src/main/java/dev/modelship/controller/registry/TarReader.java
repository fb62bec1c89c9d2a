package dev.modelship.controller.registry;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the entries of a tar stream (POSIX ustar, with pax and GNU long-name extensions, as GNU tar, bsdtar and
 * Python write them). It reports every entry with its type and leaves it to the caller to refuse what is unsafe; it
 * never touches the filesystem.
 */
final class TarReader {
  private static final int BLOCK = 512;
  /** pax and GNU long-name headers are a few hundred bytes; a larger one is refused rather than buffered. */
  private static final int MAX_METADATA_BYTES = 64 * 1024;

  /** What a tar entry is. */
  enum Type { FILE, DIRECTORY, HARD_LINK, SYMBOLIC_LINK, CHARACTER_DEVICE, BLOCK_DEVICE, FIFO, OTHER }

  record Entry(String name, Type type, char typeFlag, long size) {
  }

  private final InputStream in;
  private long remaining;
  private int padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive; skips whatever of the previous entry was not read. */
  Entry next() throws IOException {
    skipRestOfEntry();
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    while (true) {
      byte[] header = readHeader();
      if (header == null) {
        return null;
      }
      char flag = (char) (header[156] & 0xff);
      long size = size(header);
      if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
        String metadata = new String(readMetadata(size), StandardCharsets.UTF_8);
        if (flag == 'x') {
          pax.putAll(parsePax(metadata));
        } else if (flag == 'L') {
          longName = trimNul(metadata);
        }
        continue;
      }
      String name = pax.containsKey("path") ? pax.get("path") : longName != null ? longName : name(header);
      if (pax.containsKey("size")) {
        size = parseDecimal(pax.get("size"), "pax size");
      }
      startEntry(size);
      Type type = type(flag);
      // pre-POSIX archives mark a folder only by the trailing slash of its name
      return new Entry(name, type == Type.FILE && name.endsWith("/") ? Type.DIRECTORY : type, flag, size);
    }
  }

  /** The current entry's bytes. */
  InputStream data() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int read = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (read < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        remaining -= read;
        return read;
      }
    };
  }

  private void startEntry(long size) {
    remaining = size;
    padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
  }

  private void skipRestOfEntry() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private byte[] readMetadata(long size) throws IOException {
    if (size > MAX_METADATA_BYTES) {
      throw new IOException("tar metadata entry of " + size + " bytes is larger than " + MAX_METADATA_BYTES);
    }
    startEntry(size);
    byte[] bytes = data().readNBytes((int) size);
    if (bytes.length != size) {
      throw new EOFException("tar archive ends inside a metadata entry");
    }
    skipRestOfEntry();
    return bytes;
  }

  /** A header block, or null at the end-of-archive marker (a zero block) or at a clean end of the stream. */
  private byte[] readHeader() throws IOException {
    byte[] header = in.readNBytes(BLOCK);
    if (header.length == 0) {
      return null;
    }
    if (header.length < BLOCK) {
      throw new EOFException("tar archive ends inside a header");
    }
    boolean zero = true;
    for (byte b : header) {
      zero &= b == 0;
    }
    if (zero) {
      return null;
    }
    verifyChecksum(header);
    return header;
  }

  private static void verifyChecksum(byte[] header) throws IOException {
    long recorded = parseOctal(header, 148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int value = i >= 148 && i < 156 ? ' ' : header[i];
      unsigned += value & 0xff;
      signed += value;
    }
    if (recorded != unsigned && recorded != signed) {
      throw new IOException("not a tar archive (header checksum mismatch)");
    }
  }

  private static String name(byte[] header) {
    String name = text(header, 0, 100);
    boolean ustar = text(header, 257, 5).equals("ustar");
    String prefix = ustar ? text(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static long size(byte[] header) throws IOException {
    if ((header[124] & 0x80) != 0) {
      // GNU base-256 for sizes of 8 GiB and more
      long size = 0;
      for (int i = 125; i < 136; i++) {
        if (size > (Long.MAX_VALUE >> 8)) {
          throw new IOException("tar entry size does not fit in 63 bits");
        }
        size = (size << 8) | (header[i] & 0xff);
      }
      return size;
    }
    return parseOctal(header, 124, 12, "size");
  }

  private static Type type(char flag) {
    return switch (flag) {
      case '0', '\0', '7' -> Type.FILE;
      case '5' -> Type.DIRECTORY;
      case '1' -> Type.HARD_LINK;
      case '2' -> Type.SYMBOLIC_LINK;
      case '3' -> Type.CHARACTER_DEVICE;
      case '4' -> Type.BLOCK_DEVICE;
      case '6' -> Type.FIFO;
      default -> Type.OTHER;
    };
  }

  private static Map<String, String> parsePax(String records) throws IOException {
    Map<String, String> values = new HashMap<>();
    int position = 0;
    byte[] bytes = records.getBytes(StandardCharsets.UTF_8);
    while (position < bytes.length) {
      int space = indexOf(bytes, (byte) ' ', position);
      if (space < 0) {
        throw new IOException("malformed pax header");
      }
      long length = parseDecimal(new String(bytes, position, space - position, StandardCharsets.US_ASCII),
          "pax record length");
      if (length <= space - position + 1 || position + length > bytes.length) {
        throw new IOException("malformed pax header");
      }
      String record = new String(bytes, space + 1, (int) (position + length - space - 2), StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      if (equals < 0) {
        throw new IOException("malformed pax record '" + record + "'");
      }
      values.put(record.substring(0, equals), record.substring(equals + 1));
      position += (int) length;
    }
    return values;
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static long parseOctal(byte[] header, int offset, int length, String field) throws IOException {
    String text = text(header, offset, length).trim();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive (" + field + " field '" + text + "' is not octal)");
    }
  }

  private static long parseDecimal(String text, String field) throws IOException {
    try {
      long value = Long.parseLong(text.trim());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IOException("malformed tar " + field + " '" + text + "'");
    }
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String trimNul(String text) {
    int nul = text.indexOf('\0');
    return nul < 0 ? text : text.substring(0, nul);
  }

  private void skipFully(long count) throws IOException {
    long left = count;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
