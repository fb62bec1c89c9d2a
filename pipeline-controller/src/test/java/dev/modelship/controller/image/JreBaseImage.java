package dev.modelship.controller.image;

import dev.modelship.controller.registry.oci.DistributionRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * A Java 17 base image made without any container registry: Debian bookworm ({@code debootstrap --variant=minbase}
 * with {@code openjdk-17-jre-headless}, from the Debian mirror), packed as a root file system tar that is cached
 * under {@code ~/.cache/modelship-test/} (or {@code $MODELSHIP_TEST_CACHE}) so a machine builds it once (about a
 * minute), then imported into podman and pushed to the test's registry. Needs root (debootstrap, podman).
 */
public final class JreBaseImage {
  public static final String PODMAN_NAME = "localhost/modelship-test/jre17-bookworm:1";
  private static final String ROOTFS_TAR = "jre17-bookworm-minbase-rootfs.tar";
  private static final String MIRROR = "http://deb.debian.org/debian";
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private JreBaseImage() {
  }

  /** Pushes the base to {@code registry} as {@code base/jre:17} and returns that reference. */
  public static String pushedTo(DistributionRegistry registry) throws IOException {
    Path tar = rootfsTar();
    if (!exists(PODMAN_NAME)) {
      Podman.run(Duration.ofMinutes(5), "import", "--change", "ENV PATH=" + PATH, tar.toString(), PODMAN_NAME);
    }
    String reference = registry.authority() + "/base/jre:17";
    Podman.run(Duration.ofMinutes(5), "push", "--tls-verify=false", PODMAN_NAME, "docker://" + reference);
    return reference;
  }

  private static boolean exists(String image) {
    try {
      Podman.run(Duration.ofMinutes(1), "image", "exists", image);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The cached root file system, made under a lock so parallel test runs make it once. */
  static Path rootfsTar() throws IOException {
    String configured = System.getenv("MODELSHIP_TEST_CACHE");
    Path cache = configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "modelship-test");
    Files.createDirectories(cache);
    Path tar = cache.resolve(ROOTFS_TAR);
    try (FileChannel lockFile = FileChannel.open(cache.resolve(ROOTFS_TAR + ".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock = lockFile.lock();
      try {
        if (!Files.isRegularFile(tar)) {
          make(cache, tar);
        }
      } finally {
        lock.release();
      }
    }
    return tar;
  }

  private static void make(Path cache, Path tar) throws IOException {
    Path rootfs = cache.resolve("rootfs.partial-" + ProcessHandle.current().pid());
    Path partialTar = cache.resolve(ROOTFS_TAR + ".partial-" + ProcessHandle.current().pid());
    try {
      String mirror = System.getenv().getOrDefault("MODELSHIP_TEST_DEBIAN_MIRROR", MIRROR);
      Commands.run(List.of("debootstrap", "--variant=minbase", "--include=openjdk-17-jre-headless", "bookworm",
          rootfs.toString(), mirror), Duration.ofMinutes(15));
      for (String bulk : List.of("var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man",
          "usr/share/locale")) {
        removeTree(rootfs.resolve(bulk));
      }
      Commands.run(List.of("tar", "--numeric-owner", "-C", rootfs.toString(), "-cf", partialTar.toString(), "."),
          Duration.ofMinutes(5));
      Files.move(partialTar, tar, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      removeTree(rootfs);
      Files.deleteIfExists(partialTar);
    }
  }

  /**
   * {@code rm -rf --one-file-system}: a debootstrap that was stopped midway can leave /proc or /dev mounted inside
   * the tree, and those must never be walked into.
   */
  private static void removeTree(Path tree) throws IOException {
    if (Files.exists(tree)) {
      Commands.run(List.of("rm", "-rf", "--one-file-system", tree.toString()), Duration.ofMinutes(5));
    }
  }
}
