package dev.modelship.controller.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.util.FS;

/**
 * Fetches, commits and pushes one branch of a remote through a clone held in memory: no working tree, no files
 * on disk, nothing shared between operations, so any number of writers (threads or processes) can run at once.
 * A push names the commit it expects on the remote, so it only lands on exactly the head it was built on.
 */
final class BranchClient implements AutoCloseable {
  /**
   * What a push found. ALREADY_THERE: the branch already points at our commit, which another writer built
   * byte for byte (same change, parent, author and second) and pushed first.
   */
  enum PushOutcome { PUSHED, ALREADY_THERE, STALE }

  private final GitRemote remote;
  private final InMemoryRepository repository;

  BranchClient(GitRemote remote) {
    this.remote = remote;
    try {
      this.repository = (InMemoryRepository) new InMemoryRepository.Builder()
          .setRepositoryDescription(new DfsRepositoryDescription("modelship-gitops"))
          .setFS(FS.DETECTED)
          .build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an in-memory repository", e);
    }
  }

  GitRemote remote() {
    return remote;
  }

  RepoSnapshot fetch() throws GitOpsException {
    String tracking = "refs/remotes/origin/" + remote.branch();
    try (GitRemote.Connection connection = remote.open(repository)) {
      FetchResult result = connection.transport().fetch(NullProgressMonitor.INSTANCE,
          List.of(new RefSpec("+" + Constants.R_HEADS + remote.branch() + ":" + tracking)));
      Ref advertised = result.getAdvertisedRef(Constants.R_HEADS + remote.branch());
      if (advertised == null) {
        return new RepoSnapshot(repository, null);
      }
      try (RevWalk walk = new RevWalk(repository)) {
        return new RepoSnapshot(repository, walk.parseCommit(advertised.getObjectId()));
      }
    } catch (TransportException e) {
      if (e.getMessage() != null && e.getMessage().contains("available for fetch")) {
        return new RepoSnapshot(repository, null);
      }
      throw failure("fetch from", e);
    } catch (IOException e) {
      throw failure("fetch from", e);
    }
  }

  /**
   * A commit on top of the snapshot's head with {@code files} written (a null content deletes the file).
   */
  ObjectId commit(RepoSnapshot base, Map<String, String> files, String message, PersonIdent author)
      throws GitOpsException {
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      if (base.head().isPresent()) {
        DirCacheBuilder builder = index.builder();
        try (ObjectReader reader = repository.newObjectReader()) {
          builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.head().get().getTree());
        }
        builder.finish();
      }
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, String> file : files.entrySet()) {
        if (file.getValue() == null) {
          editor.add(new DirCacheEditor.DeletePath(file.getKey()));
        } else {
          ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
          editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
            @Override
            public void apply(DirCacheEntry entry) {
              entry.setFileMode(FileMode.REGULAR_FILE);
              entry.setObjectId(blob);
            }
          });
        }
      }
      editor.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      base.head().ifPresent(commit::setParentId);
      commit.setAuthor(author);
      commit.setCommitter(author);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new GitOpsException(GitOpsException.Kind.UNAVAILABLE, "cannot build the commit: " + e.getMessage(), e);
    }
  }

  /** Pushes {@code commit} to the branch if the branch is still at {@code expected} (zero id: does not exist). */
  PushOutcome push(ObjectId commit, ObjectId expected) throws GitOpsException {
    try (GitRemote.Connection connection = remote.open(repository)) {
      RemoteRefUpdate update = new RemoteRefUpdate(repository, commit.name(), Constants.R_HEADS + remote.branch(), false,
          null, expected);
      PushResult result = connection.transport().push(NullProgressMonitor.INSTANCE, List.of(update));
      RemoteRefUpdate outcome = result.getRemoteUpdate(Constants.R_HEADS + remote.branch());
      switch (outcome.getStatus()) {
        case OK:
          return PushOutcome.PUSHED;
        case UP_TO_DATE:
          return PushOutcome.ALREADY_THERE;
        case REJECTED_NONFASTFORWARD:
        case REJECTED_REMOTE_CHANGED:
          return PushOutcome.STALE;
        case REJECTED_OTHER_REASON:
          if (lostRace(outcome.getMessage())) {
            return PushOutcome.STALE;
          }
          throw new GitOpsException(GitOpsException.Kind.UNAVAILABLE, remote.url() + " refused the push: "
              + remote.redact(outcome.getMessage()));
        default:
          throw new GitOpsException(GitOpsException.Kind.UNAVAILABLE, remote.url() + " refused the push ("
              + outcome.getStatus() + "): " + remote.redact(outcome.getMessage()));
      }
    } catch (IOException e) {
      if (lostRace(e.getMessage())) {
        // e.g. "Cannot lock pack": another writer is storing the very same objects at this moment.
        return PushOutcome.STALE;
      }
      throw failure("push to", e);
    }
  }

  /**
   * The server's words for "another writer got there first": it checked our expected old id against a ref that
   * changed between its advertisement and our update (JGit: "invalid old id sent"; C git: "cannot lock ref",
   * "failed to lock", "expected"; hosted servers: "fetch first", "stale info"), or another push was storing the
   * same pack at that moment (JGit: "Cannot lock pack"). Retrying on the new head is the answer to each.
   */
  private static boolean lostRace(String message) {
    if (message == null) {
      return false;
    }
    String text = message.toLowerCase(java.util.Locale.ROOT);
    return text.contains("invalid old id") || text.contains("lock") || text.contains("expected")
        || text.contains("fetch first") || text.contains("stale info") || text.contains("non-fast-forward");
  }

  private GitOpsException failure(String action, Exception e) {
    String message = remote.redact(e.getMessage());
    if (message.startsWith(remote.url() + ": ")) {
      message = message.substring(remote.url().length() + 2);
    }
    String where = "cannot " + action + " " + remote.url() + ": ";
    boolean unauthorized = message.contains("not authorized") || message.contains("Authentication is required")
        || message.contains("authentication failed") || message.contains("Cannot log in");
    if (unauthorized) {
      return new GitOpsException(GitOpsException.Kind.UNAUTHORIZED, where + "the remote refused the credentials "
          + "(MODELSHIP_GIT_TOKEN, MODELSHIP_GIT_USERNAME/PASSWORD, or the SSH key)");
    }
    if (message.contains("Server key did not validate")) {
      return new GitOpsException(GitOpsException.Kind.UNAUTHORIZED, where + "the server's SSH host key is not in "
          + "the known_hosts file (~/.ssh/known_hosts, or --known-hosts / MODELSHIP_GIT_SSH_KNOWN_HOSTS); add it "
          + "after checking its fingerprint (ssh-keyscan)");
    }
    if (e instanceof NoRemoteRepositoryException) {
      return new GitOpsException(GitOpsException.Kind.NOT_FOUND, where + "no repository there");
    }
    return new GitOpsException(GitOpsException.Kind.UNAVAILABLE, where + message);
  }

  @Override
  public void close() {
    repository.close();
  }
}
