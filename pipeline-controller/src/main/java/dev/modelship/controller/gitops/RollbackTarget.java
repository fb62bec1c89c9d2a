package dev.modelship.controller.gitops;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which release a rollback restores, from the app's history (newest first): the newest release of the environment
 * that is neither the current version nor one taken out by a later rollback, or the version asked for.
 *
 * @param target the event whose image and version are restored
 * @param revertedSha the commit that put the current version in place, if the history has it
 */
record RollbackTarget(ReleaseEvent target, String revertedSha) {

  static RollbackTarget choose(List<ReleaseEvent> history, String environment, String currentVersion,
                               Long requested) throws GitOpsException {
    List<ReleaseEvent> inEnvironment = new ArrayList<>();
    for (ReleaseEvent event : history) {
      if (event.setsImage() && environment.equals(event.environment()) && event.image() != null) {
        inEnvironment.add(event);
      }
    }
    String reverted = inEnvironment.stream().filter(e -> e.version().equals(currentVersion)).findFirst()
        .map(ReleaseEvent::sha).orElse(null);
    if (requested != null) {
      String wanted = Long.toString(requested);
      Optional<ReleaseEvent> target = inEnvironment.stream().filter(e -> e.version().equals(wanted)).findFirst()
          .or(() -> history.stream().filter(e -> e.setsImage() && e.image() != null && wanted.equals(e.version()))
              .findFirst());
      return new RollbackTarget(target.orElseThrow(() -> new GitOpsException(GitOpsException.Kind.NOT_FOUND,
          "version " + wanted + " was never released (" + released(history) + ")")), reverted);
    }
    Set<String> rejected = rejected(inEnvironment);
    for (ReleaseEvent event : inEnvironment) {
      if (!event.version().equals(currentVersion) && !rejected.contains(event.version())) {
        return new RollbackTarget(event, reverted);
      }
    }
    throw new GitOpsException(GitOpsException.Kind.NOT_FOUND, "no earlier release in " + environment + " to roll "
        + "back to (" + released(inEnvironment) + ")");
  }

  /** Versions taken out by a rollback and not released again since. */
  private static Set<String> rejected(List<ReleaseEvent> newestFirst) {
    Set<String> setSince = new HashSet<>();
    Set<String> rejected = new HashSet<>();
    for (ReleaseEvent event : newestFirst) {
      if (event.action() == ReleaseEvent.Action.ROLLBACK && event.replaces() != null
          && !setSince.contains(event.replaces())) {
        rejected.add(event.replaces());
      }
      setSince.add(event.version());
    }
    return rejected;
  }

  private static String released(List<ReleaseEvent> events) {
    Set<String> versions = new LinkedHashSet<>();
    events.stream().filter(ReleaseEvent::setsImage).forEach(e -> versions.add(e.version()));
    return versions.isEmpty() ? "no releases at all" : "released: " + String.join(", ", versions);
  }
}
