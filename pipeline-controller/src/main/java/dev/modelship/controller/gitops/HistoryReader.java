package dev.modelship.controller.gitops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** A model app's history from the fetched branch, newest first: every commit that touched its folder. */
final class HistoryReader {
  private HistoryReader() {
  }

  /** @param environment only that overlay's commits; null for the whole app */
  static List<ReleaseEvent> read(RepoSnapshot snapshot, String model, String environment) throws GitOpsException {
    List<ReleaseEvent> events = new ArrayList<>();
    if (snapshot.head().isEmpty()) {
      return events;
    }
    String folder = environment == null ? RepoLayout.appFolder(model) : RepoLayout.overlayFolder(model, environment);
    try (RevWalk walk = snapshot.walk()) {
      walk.sort(RevSort.TOPO);
      walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(folder.substring(0, folder.length() - 1)),
          TreeFilter.ANY_DIFF));
      walk.markStart(walk.parseCommit(snapshot.head().get()));
      for (RevCommit commit : walk) {
        ReleaseEvent event = ReleaseEvent.of(commit);
        boolean otherModel = event.setsImage() && !model.equals(event.model());
        boolean otherEnvironment = event.setsImage() && environment != null
            && !environment.equals(event.environment());
        if (!otherModel && !otherEnvironment) {
          events.add(event);
        }
      }
    } catch (IOException e) {
      throw new GitOpsException(GitOpsException.Kind.UNAVAILABLE, "cannot read the history of " + folder + ": "
          + e.getMessage(), e);
    }
    return events;
  }
}
