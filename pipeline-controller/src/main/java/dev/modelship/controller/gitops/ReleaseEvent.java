package dev.modelship.controller.gitops;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * One commit in a model app's history: a release, promotion or rollback (read from its {@code Modelship-*}
 * trailers), or an edit by someone else.
 *
 * @param version the model version the environment runs after this commit; null for an edit
 * @param replaces for a rollback, the version it took out
 * @param why the rollback's reason, the run that released, or an edit's subject
 */
public record ReleaseEvent(String sha, Action action, String model, String version, String environment,
                           String image, String run, String replaces, String author, Instant time, String subject,
                           String why) {

  public enum Action {
    RELEASE, PROMOTE, ROLLBACK, EDIT;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static ReleaseEvent of(RevCommit commit) {
    Map<String, String> trailers = new HashMap<>();
    for (FooterLine footer : commit.getFooterLines()) {
      trailers.putIfAbsent(footer.getKey(), footer.getValue().strip());
    }
    String author = commit.getAuthorIdent().getName() + " <" + commit.getAuthorIdent().getEmailAddress() + ">";
    Instant time = commit.getAuthorIdent().getWhenAsInstant();
    Action action = action(trailers.get(CommitMessages.ACTION));
    if (action == Action.EDIT || trailers.get(CommitMessages.VERSION) == null) {
      return new ReleaseEvent(commit.name(), Action.EDIT, null, null, null, null, null, null, author, time,
          commit.getShortMessage(), commit.getShortMessage());
    }
    String run = trailers.get(CommitMessages.RUN);
    String why = action == Action.ROLLBACK ? reason(commit.getFullMessage()) : null;
    if (why == null && action == Action.PROMOTE) {
      why = "promoted from " + trailers.get(CommitMessages.FROM) + ", run " + run;
    }
    return new ReleaseEvent(commit.name(), action, trailers.get(CommitMessages.MODEL),
        trailers.get(CommitMessages.VERSION), trailers.get(CommitMessages.ENVIRONMENT),
        trailers.get(CommitMessages.IMAGE), run, trailers.get(CommitMessages.REPLACES), author, time,
        commit.getShortMessage(), why == null ? "run " + run : why);
  }

  /** True for commits that set an environment's image (everything but edits). */
  public boolean setsImage() {
    return action != Action.EDIT;
  }

  private static Action action(String trailer) {
    if (trailer == null) {
      return Action.EDIT;
    }
    switch (trailer.strip()) {
      case "release": return Action.RELEASE;
      case "promote": return Action.PROMOTE;
      case "rollback": return Action.ROLLBACK;
      default: return Action.EDIT;
    }
  }

  private static String reason(String message) {
    return message.lines().filter(line -> line.startsWith("Reason: ")).map(line -> line.substring(8)).findFirst()
        .orElse(null);
  }
}
