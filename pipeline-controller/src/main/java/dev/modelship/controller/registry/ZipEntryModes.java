package dev.modelship.controller.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The Unix file type of each entry of a zip file, which {@link java.util.zip.ZipFile} does not expose: zip tools on
 * Unix store symbolic links as entries whose content is the link target, marked only by the file type bits in the
 * central directory's external attributes.
 */
final class ZipEntryModes {
  /** {@code S_IFMT} and the types that may be unpacked. */
  static final int TYPE_MASK = 0170000;
  static final int REGULAR_FILE = 0100000;
  static final int DIRECTORY = 0040000;
  static final int SYMBOLIC_LINK = 0120000;

  private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int ZIP64_END = 0x06064b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int UNIX_HOST = 3;
  private static final int MAX_COMMENT = 0xffff;

  private ZipEntryModes() {
  }

  /**
   * Entry name to its Unix file type bits ({@link #TYPE_MASK} applied); entries written on other systems carry
   * none and map to 0.
   */
  static Map<String, Integer> read(Path zip) throws IOException {
    try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
      long size = channel.size();
      int tailLength = (int) Math.min(size, 22 + MAX_COMMENT);
      ByteBuffer tail = readAt(channel, size - tailLength, tailLength);
      int end = -1;
      for (int i = tailLength - 22; i >= 0; i--) {
        if (tail.getInt(i) == END_OF_CENTRAL_DIRECTORY) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        throw new IOException("not a zip archive (no end of central directory)");
      }
      long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
      long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
      long endPosition = size - tailLength + end;
      if (directoryOffset == 0xffffffffL || directorySize == 0xffffffffL) {
        ByteBuffer zip64 = zip64End(channel, endPosition);
        directorySize = zip64.getLong(40);
        directoryOffset = zip64.getLong(48);
      }
      if (directoryOffset < 0 || directorySize < 0 || directorySize > Integer.MAX_VALUE
          || directoryOffset + directorySize > size) {
        throw new IOException("zip central directory lies outside the file");
      }
      return entries(readAt(channel, directoryOffset, (int) directorySize));
    }
  }

  private static Map<String, Integer> entries(ByteBuffer directory) throws IOException {
    Map<String, Integer> modes = new HashMap<>();
    int position = 0;
    while (position + 46 <= directory.limit()) {
      if (directory.getInt(position) != CENTRAL_HEADER) {
        throw new IOException("zip central directory is damaged at offset " + position);
      }
      int madeBy = (directory.getShort(position + 4) >> 8) & 0xff;
      int nameLength = Short.toUnsignedInt(directory.getShort(position + 28));
      int extraLength = Short.toUnsignedInt(directory.getShort(position + 30));
      int commentLength = Short.toUnsignedInt(directory.getShort(position + 32));
      int external = directory.getInt(position + 38);
      if (position + 46 + nameLength > directory.limit()) {
        throw new IOException("zip central directory is damaged at offset " + position);
      }
      byte[] name = new byte[nameLength];
      directory.get(position + 46, name);
      int mode = madeBy == UNIX_HOST ? (external >>> 16) & TYPE_MASK : 0;
      modes.merge(new String(name, StandardCharsets.UTF_8), mode, (first, second) -> first | second);
      position += 46 + nameLength + extraLength + commentLength;
    }
    return modes;
  }

  private static ByteBuffer zip64End(FileChannel channel, long endPosition) throws IOException {
    if (endPosition < 20) {
      throw new IOException("zip64 archive without its locator");
    }
    ByteBuffer locator = readAt(channel, endPosition - 20, 20);
    if (locator.getInt(0) != ZIP64_LOCATOR) {
      throw new IOException("zip64 archive without its locator");
    }
    ByteBuffer end = readAt(channel, locator.getLong(8), 56);
    if (end.getInt(0) != ZIP64_END) {
      throw new IOException("zip64 end of central directory is damaged");
    }
    return end;
  }

  private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
    if (position < 0) {
      throw new IOException("zip structure points before the start of the file");
    }
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("zip archive is truncated");
      }
    }
    return buffer.flip();
  }
}
