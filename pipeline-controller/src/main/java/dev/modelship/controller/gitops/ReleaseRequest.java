package dev.modelship.controller.gitops;

import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.validate.ValidationReport;

/**
 * Release a model version's serving image to one environment.
 *
 * @param validation the version's validation report, summarised in the commit body; null when there is none
 * @param run the pipeline run (or CLI invocation) asking, recorded as the {@code Modelship-Run} trailer
 */
public record ReleaseRequest(ModelVersionRef version, PinnedImage image, String environment, String run,
                             ValidationReport validation, GitAuthor author) {

  public ReleaseRequest {
    RepoLayout.requireAppName(version.name());
    RepoLayout.requireEnvironment(environment);
    CommitMessages.requireRun(run);
    if (validation != null && !validation.model().equals(version.name())) {
      throw new IllegalArgumentException("the validation report is of model '" + validation.model() + "', not "
          + version.name());
    }
  }
}
