package dev.modelship.controller.gitops;

/** Release to {@code to} exactly what {@code from} runs now (same image digest, same model version). */
public record PromotionRequest(String model, String from, String to, String run, GitAuthor author) {

  public PromotionRequest {
    RepoLayout.requireAppName(model);
    RepoLayout.requireEnvironment(from);
    RepoLayout.requireEnvironment(to);
    CommitMessages.requireRun(run);
    if (from.equals(to)) {
      throw new IllegalArgumentException("promoting from " + from + " to itself changes nothing");
    }
  }
}
