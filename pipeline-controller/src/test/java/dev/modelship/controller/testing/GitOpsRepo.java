package dev.modelship.controller.testing;

import dev.modelship.controller.gitops.GitAuthor;
import dev.modelship.controller.gitops.GitCredentials;
import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.GitOpsInitializer;
import dev.modelship.controller.gitops.GitOpsTemplate;
import dev.modelship.controller.gitops.GitRemote;
import dev.modelship.controller.gitops.PinnedImage;
import dev.modelship.controller.gitops.ReleaseCommit;
import dev.modelship.controller.gitops.ReleaseRequest;
import dev.modelship.controller.gitops.ReleaseWriter;
import dev.modelship.controller.registry.ModelVersionRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * A real bare GitOps repository initialised from the bundled template, as {@code modelship gitops init} leaves it,
 * with the pipeline's releases and a person's commits (clone, edit, commit, push) made the way they are made for
 * real.
 */
public final class GitOpsRepo {
  public static final GitAuthor PIPELINE = new GitAuthor("Modelship Pipeline", "pipeline@modelship.test");
  public static final String ENVIRONMENT = "production";

  private final Path bare;
  private final Path work;
  private final GitRemote remote;
  private final ReleaseWriter writer;

  private GitOpsRepo(Path bare, Path work) {
    this.bare = bare;
    this.work = work;
    this.remote = GitRemote.of(bare.toString(), "main", GitCredentials.none());
    this.writer = ReleaseWriter.create(remote, event -> { });
  }

  /** A new repository in {@code folder}/gitops.git; clones for human commits go under {@code folder}. */
  public static GitOpsRepo init(Path folder) throws GitOpsException, IOException {
    GitOpsRepo repo = new GitOpsRepo(folder.resolve("gitops.git"), Files.createDirectories(folder.resolve("clones")));
    new GitOpsInitializer(Clock.systemUTC(), event -> { }).init(repo.remote, GitOpsTemplate.bundled(), PIPELINE);
    return repo;
  }

  public GitRemote remote() {
    return remote;
  }

  public ReleaseWriter writer() {
    return writer;
  }

  /** The serving image of {@code model} version {@code n}: a digest of its own, as the image build would give. */
  public static PinnedImage image(String model, long n) {
    return PinnedImage.parse("modelship.local/serving@" + digest(model + "-" + n));
  }

  public static String digest(String seed) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(seed.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Releases {@code model} version {@code n} ({@link #image}) to production, as the pipeline's release stage does. */
  public ReleaseCommit release(String model, long n) throws GitOpsException {
    return writer.release(new ReleaseRequest(new ModelVersionRef(model, n), image(model, n), ENVIRONMENT,
        model + "-" + n, null, PIPELINE));
  }

  /** A person's commit: clone, write (or, for a null text, delete) each path, commit, push. */
  public String humanCommit(String message, Map<String, String> files) throws Exception {
    Path clone = Files.createTempDirectory(work, "human");
    try (Git git = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(clone.toFile()).call()) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        if (file.getValue() == null) {
          git.rm().addFilepattern(file.getKey()).call();
        } else {
          Path target = clone.resolve(file.getKey());
          Files.createDirectories(target.getParent());
          Files.writeString(target, file.getValue());
          git.add().addFilepattern(file.getKey()).call();
        }
      }
      git.commit().setAuthor("Jane Doe", "jane@team.test").setCommitter("Jane Doe", "jane@team.test")
          .setMessage(message).call();
      git.push().call().forEach(result -> result.getRemoteUpdates().forEach(update -> {
        if (update.getStatus() != RemoteRefUpdate.Status.OK) {
          throw new IllegalStateException("the human push failed: " + update);
        }
      }));
    }
    return head();
  }

  /** A file's text at the branch head, read from a fresh clone. */
  public String read(String path) throws Exception {
    Path clone = Files.createTempDirectory(work, "read");
    Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(clone.toFile()).call().close();
    Path file = clone.resolve(path);
    return Files.exists(file) ? Files.readString(file) : null;
  }

  /** The full messages of the branch's commits, newest first. */
  public List<String> log() throws Exception {
    try (Git git = Git.open(bare.toFile())) {
      List<String> messages = new ArrayList<>();
      git.log().call().forEach(commit -> messages.add(commit.getFullMessage()));
      return messages;
    }
  }

  public String head() throws IOException {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build()) {
      return repository.resolve("refs/heads/main").name();
    }
  }
}
