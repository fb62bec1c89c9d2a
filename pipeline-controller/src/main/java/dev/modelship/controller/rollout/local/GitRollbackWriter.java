package dev.modelship.controller.rollout.local;

import dev.modelship.controller.gitops.GitAuthor;
import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.gitops.ReleaseWriter;
import dev.modelship.controller.gitops.RollbackRequest;
import dev.modelship.controller.rollout.RolloutSpec;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an aborted canary in git with the release writer: a rollback commit of the environment to the stable's
 * version, with the abort reason in its body. When git no longer shows the aborted image (someone committed a newer
 * release, or rolled back by hand) there is nothing to undo and nothing is committed: a rollback must never revert
 * a change it did not make.
 */
public final class GitRollbackWriter implements RollbackWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GitRollbackWriter.class);
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final ReleaseWriter writer;
  private final String environment;
  private final GitAuthor author;

  public GitRollbackWriter(ReleaseWriter writer, String environment, GitAuthor author) {
    this.writer = writer;
    this.environment = environment;
    this.author = author;
  }

  @Override
  public void rollback(String app, RolloutSpec aborted, RolloutSpec stable, String reason) throws Exception {
    // Edits of the overlay (replicas, components) set no image: the release they follow is still what git deploys.
    List<ReleaseEvent> history = writer.history(app, environment).stream().filter(ReleaseEvent::setsImage).toList();
    String abortedDigest = digest(aborted.image());
    if (history.isEmpty() || abortedDigest == null || !abortedDigest.equals(digest(history.get(0).image()))) {
      LOG.info("{}: git no longer deploys the aborted {} to {}; no rollback commit needed", app, aborted.image(),
          environment);
      return;
    }
    String stableVersion = stable.labels().get(LocalRollout.VERSION_LABEL);
    Long toVersion = stableVersion == null || !stableVersion.matches("\\d{1,18}") ? null
        : Long.valueOf(stableVersion);
    String version = aborted.labels().getOrDefault(LocalRollout.VERSION_LABEL, "unknown");
    writer.rollback(new RollbackRequest(app, environment, toVersion, "canary aborted: " + reason,
        app + "-" + version, author));
    LOG.info("{}: rolled back {} to version {} in git", app, environment, toVersion);
  }

  private static String digest(String image) {
    if (image == null) {
      return null;
    }
    Matcher matcher = DIGEST.matcher(image);
    return matcher.find() ? matcher.group() : null;
  }
}
