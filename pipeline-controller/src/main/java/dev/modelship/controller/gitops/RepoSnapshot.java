package dev.modelship.controller.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The remote branch as fetched: its head commit (absent for a branch that does not exist yet) and the files of
 * that commit, read from the in-memory clone.
 */
public final class RepoSnapshot {
  private static final int MAX_FILE_BYTES = 1 << 20;

  private final Repository repository;
  private final RevCommit head;

  RepoSnapshot(Repository repository, RevCommit head) {
    this.repository = repository;
    this.head = head;
  }

  public Optional<RevCommit> head() {
    return Optional.ofNullable(head);
  }

  /** The head, or the zero id for a branch that does not exist (what a push must find to create it). */
  ObjectId headOrZero() {
    return head == null ? ObjectId.zeroId() : head.getId();
  }

  Repository repository() {
    return repository;
  }

  public boolean exists(String path) {
    return read(path).isPresent();
  }

  /** The text of a file at the head (UTF-8), if it exists. */
  public Optional<String> read(String path) {
    if (head == null) {
      return Optional.empty();
    }
    try (TreeWalk walk = TreeWalk.forPath(repository, path, head.getTree())) {
      if (walk == null || walk.isSubtree()) {
        return Optional.empty();
      }
      ObjectLoader loader = repository.open(walk.getObjectId(0));
      return Optional.of(new String(loader.getCachedBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " from the fetched commit", e);
    }
  }

  /** Every file under {@code folder} (ending with '/'), by path relative to it, as text. */
  public Map<String, String> readFolder(String folder) {
    Map<String, String> files = new LinkedHashMap<>();
    if (head == null) {
      return files;
    }
    try (TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(head.getTree());
      walk.setRecursive(true);
      walk.setFilter(PathFilter.create(folder.substring(0, folder.length() - 1)));
      while (walk.next()) {
        ObjectLoader loader = repository.open(walk.getObjectId(0));
        files.put(walk.getPathString().substring(folder.length()),
            new String(loader.getCachedBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder + " from the fetched commit", e);
    }
    return files;
  }

  /** A revision walk over the fetched history; the caller closes it. */
  RevWalk walk() {
    return new RevWalk(repository);
  }
}
