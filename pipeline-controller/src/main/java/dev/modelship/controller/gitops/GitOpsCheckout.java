package dev.modelship.controller.gitops;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What the local engine reads, as Argo CD does: the branch head of the GitOps repository, fetched again and again
 * and written out as files when it moved, so {@code kubectl kustomize} can render it. Each head gets its own
 * folder ({@code DIR/<sha>}); the previous one is removed once the new one is complete, so a half-written tree is
 * never rendered.
 */
public final class GitOpsCheckout implements AutoCloseable {
  private static final long MAX_FILE_BYTES = 8L << 20;

  private final BranchClient client;
  private final Path directory;
  private Checkout current;

  /** A commit written out: its sha and the folder holding its tree. */
  public record Checkout(String commit, Path root) {
  }

  public GitOpsCheckout(GitRemote remote, Path directory) {
    this.client = new BranchClient(remote);
    this.directory = directory;
  }

  /**
   * Fetches the branch; when its head is not the one written out last, writes the new head's tree.
   *
   * @return the new checkout, or empty when the head did not move
   * @throws GitOpsException when the remote cannot be reached or the branch does not exist
   */
  public synchronized Optional<Checkout> refresh() throws GitOpsException {
    RepoSnapshot snapshot = client.fetch();
    RevCommit head = snapshot.head().orElseThrow(() -> new GitOpsException(GitOpsException.Kind.NOT_FOUND,
        "branch " + client.remote().branch() + " does not exist in " + client.remote().url()
            + " (run `modelship gitops init`)"));
    if (current != null && current.commit().equals(head.getName())) {
      return Optional.empty();
    }
    Path root = directory.resolve(head.getName());
    Path partial = directory.resolve(head.getName() + ".partial");
    try {
      dev.modelship.controller.registry.DurableFiles.deleteTree(partial);
      Files.createDirectories(partial);
      write(snapshot, head, partial);
      dev.modelship.controller.registry.DurableFiles.deleteTree(root);
      Files.move(partial, root);
      if (current != null) {
        dev.modelship.controller.registry.DurableFiles.deleteTree(current.root());
      }
    } catch (IOException e) {
      GitOpsException failure = new GitOpsException(GitOpsException.Kind.UNAVAILABLE, "cannot write commit "
          + head.getName() + " of " + client.remote().url() + " to " + root + ": " + e.getMessage(), e);
      try {
        // A refused tree (a link out of the checkout) must not stay on disk for anything to read.
        dev.modelship.controller.registry.DurableFiles.deleteTree(partial);
      } catch (IOException cleanup) {
        failure.addSuppressed(cleanup);
      }
      throw failure;
    }
    current = new Checkout(head.getName(), root);
    return Optional.of(current);
  }

  /** The checkout written last, if any. */
  public synchronized Optional<Checkout> current() {
    return Optional.ofNullable(current);
  }

  private static void write(RepoSnapshot snapshot, RevCommit head, Path root) throws IOException {
    List<Path> links = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(snapshot.repository())) {
      walk.addTree(head.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        Path target = root.resolve(walk.getPathString()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("path " + walk.getPathString() + " leaves the checkout");
        }
        Files.createDirectories(target.getParent());
        ObjectLoader loader = snapshot.repository().open(walk.getObjectId(0));
        if (loader.getSize() > MAX_FILE_BYTES) {
          throw new IOException(walk.getPathString() + " is " + loader.getSize() + " bytes; a GitOps file over "
              + MAX_FILE_BYTES + " bytes is refused");
        }
        byte[] bytes = loader.getBytes();
        if (walk.getFileMode(0) == FileMode.SYMLINK) {
          Path link = Path.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
          if (link.isAbsolute() || !target.getParent().resolve(link).normalize().startsWith(root)) {
            throw new IOException("symbolic link " + walk.getPathString() + " -> " + link + " leaves the checkout");
          }
          Files.createSymbolicLink(target, link);
          links.add(target);
        } else {
          Files.write(target, bytes);
        }
      }
    }
    for (Path link : links) {
      requireInside(link, root);
    }
  }

  /**
   * Checks where a link really leads once the whole tree is written: read as text each link may stay inside while
   * the file system, following one link through another ({@code up -> ..}, {@code out -> up/../..}), leaves.
   */
  private static void requireInside(Path link, Path root) throws IOException {
    Path realRoot = root.toRealPath();
    Path destination = link.getParent().resolve(Files.readSymbolicLink(link));
    Path reached = null;
    for (Path candidate = destination; reached == null && candidate != null; candidate = candidate.getParent()) {
      try {
        reached = candidate.toRealPath();
      } catch (NoSuchFileException e) {
        // A link to something not (yet) there: what matters is where the part that exists leads.
      } catch (FileSystemException e) {
        throw new IOException("symbolic link " + root.relativize(link) + " cannot be resolved ("
            + e.getReason() + ")", e);
      }
    }
    if (reached == null || !reached.startsWith(realRoot)) {
      throw new IOException("symbolic link " + root.relativize(link) + " -> " + Files.readSymbolicLink(link)
          + " leaves the checkout");
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
