package dev.modelship.controller.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File operations that survive a crash or power loss: data is forced to disk before it is renamed into place, and
 * a folder is forced after an entry in it was created or renamed, so that the rename itself is durable.
 */
public final class DurableFiles {
  private DurableFiles() {
  }

  /**
   * Copies {@code source} to {@code target} (which must not exist), forces it to disk and returns the
   * {@code sha256:<hex>} of the bytes written, so the caller can check them against what it meant to copy.
   */
  static String copyAndForce(Path source, Path target) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
         FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
         OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), sha)) {
      in.transferTo(out);
      out.flush();
      channel.force(true);
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  /** Writes {@code bytes} to a new file and forces it to disk. */
  static void writeAndForce(Path target, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /**
   * Replaces {@code target} with {@code bytes} so that a reader (or a restart after a crash) sees either the old
   * or the new content, never a mix: write a temporary sibling, force it, rename it over the target, force the
   * folder.
   */
  static void replaceAtomically(Path target, byte[] bytes) throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Path partial = folder.resolve("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".partial");
    try {
      writeAndForce(partial, bytes);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    forceFolder(folder);
  }

  /** Makes the entries of a folder (creations, renames, deletions) durable. */
  static void forceFolder(Path folder) throws IOException {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Deletes a file or a folder tree without following links; a missing path is not an error. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** {@link #deleteTree} for clean-up after a failure that is already being reported: the first error wins. */
  static void deleteTreeAfterFailure(Path path, Exception failure) {
    try {
      deleteTree(path);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
