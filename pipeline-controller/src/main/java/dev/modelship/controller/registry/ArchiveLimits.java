package dev.modelship.controller.registry;

/**
 * How much a package archive may unpack to, so that a small hostile archive cannot fill the disk.
 *
 * @param maxEntryBytes the largest file (a model.onnx cannot exceed 2 GiB, protobuf's limit)
 * @param maxTotalBytes all files together
 * @param maxEntries files, folders and metadata entries together
 */
public record ArchiveLimits(long maxEntryBytes, long maxTotalBytes, int maxEntries) {
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(2L << 30, 8L << 30, 64);

  public ArchiveLimits {
    if (maxEntryBytes < 1 || maxTotalBytes < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("archive limits must be positive: " + maxEntryBytes + " bytes per file, "
          + maxTotalBytes + " bytes in all, " + maxEntries + " entries");
    }
  }
}
