package dev.modelship.controller.gitops;

import dev.modelship.controller.registry.ModelVersionRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Real git repositories on disk for the GitOps tests, and the releases they write. */
final class GitFixtures {
  static final GitAuthor PIPELINE = new GitAuthor("Modelship Pipeline", "pipeline@modelship.test");

  private GitFixtures() {
  }

  /** A fixture image for version {@code n} of {@code model}, with a digest of its own. */
  static PinnedImage image(String model, long n) {
    return new PinnedImage("127.0.0.1:5000/models/serving", model + "-" + n, digest(model + ":" + n));
  }

  static String digest(String seed) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static ReleaseRequest release(String model, long version, String environment) {
    return new ReleaseRequest(new ModelVersionRef(model, version), image(model, version), environment, "run-"
        + model + "-" + version, null, PIPELINE);
  }

  /** A writer whose retries are quick, so contention tests stay short. */
  static ReleaseWriter writer(GitRemote remote, Consumer<GitOpsEvent> events) {
    return new ReleaseWriter(remote, Clock.systemUTC(), new Backoff(40, Duration.ofMillis(5),
        Duration.ofMillis(200), new Random()), events);
  }

  static GitRemote local(Path bare) {
    return GitRemote.of(bare.toString(), "main", GitCredentials.none());
  }

  /** A bare repository initialised from the template, as `modelship gitops init` leaves it. */
  static Path initialisedRepository(Path folder) throws GitOpsException {
    Path bare = folder.resolve("gitops.git");
    new GitOpsInitializer(Clock.systemUTC(), event -> { }).init(local(bare), GitOpsTemplate.bundled(), PIPELINE);
    return bare;
  }

  static List<RevCommit> log(Path bare) throws IOException {
    try (Repository repository = open(bare); RevWalk walk = new RevWalk(repository)) {
      walk.markStart(walk.parseCommit(repository.resolve("refs/heads/main")));
      List<RevCommit> commits = new ArrayList<>();
      walk.forEach(commits::add);
      return commits;
    }
  }

  static String head(Path bare) throws IOException {
    try (Repository repository = open(bare)) {
      return repository.resolve("refs/heads/main").name();
    }
  }

  /** A file's text at the branch head, or null. */
  static String read(Path bare, String path) throws IOException {
    try (Repository repository = open(bare); RevWalk walk = new RevWalk(repository)) {
      ObjectId head = repository.resolve("refs/heads/main");
      try (TreeWalk tree = TreeWalk.forPath(repository, path, walk.parseCommit(head).getTree())) {
        return tree == null ? null : new String(repository.open(tree.getObjectId(0)).getBytes(),
            StandardCharsets.UTF_8);
      }
    }
  }

  /** A person's clone: edit, commit and push like someone at a terminal. */
  static void humanCommit(Path bare, Path workFolder, String path, java.util.function.UnaryOperator<String> edit,
                          String message) throws Exception {
    Path clone = Files.createTempDirectory(workFolder, "human");
    try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(clone.toFile()).call()) {
      Path file = clone.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, edit.apply(Files.exists(file) ? Files.readString(file) : ""));
      git.add().addFilepattern(path).call();
      git.commit().setAuthor("Jane Doe", "jane@team.test").setCommitter("Jane Doe", "jane@team.test")
          .setMessage(message).call();
      git.push().call().forEach(result -> result.getRemoteUpdates().forEach(update -> {
        if (update.getStatus() != org.eclipse.jgit.transport.RemoteRefUpdate.Status.OK) {
          throw new IllegalStateException("the human push failed: " + update);
        }
      }));
    }
  }

  /** A working copy of the branch head, for rendering with kustomize. */
  static Path checkout(Path bare, Path folder) throws Exception {
    Path clone = Files.createTempDirectory(folder, "checkout");
    Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(clone.toFile()).call().close();
    return clone;
  }

  private static Repository open(Path bare) throws IOException {
    return new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
  }
}
