package dev.modelship.controller.pipeline.stages;

import dev.modelship.controller.gitops.GitAuthor;
import dev.modelship.controller.gitops.PinnedImage;
import dev.modelship.controller.gitops.ReleaseCommit;
import dev.modelship.controller.gitops.ReleaseRequest;
import dev.modelship.controller.gitops.ReleaseWriter;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import java.util.Map;

/**
 * Commits the built image to the environment's overlay in the GitOps repository (Argo CD, or the local engine,
 * deploys it from there). A release of an image the overlay already pins commits nothing, so a resumed run never
 * commits twice. The commit body carries the validation outcome.
 */
public final class ReleaseStage implements Stage {
  /** Stage names are {@code release-<environment>}. */
  public static final String NAME = "release";
  public static final String COMMIT = "commit";

  private final ReleaseWriter writer;
  private final ValidationStore validations;
  private final String environment;
  private final GitAuthor author;

  public ReleaseStage(ReleaseWriter writer, ValidationStore validations, String environment, GitAuthor author) {
    this.writer = writer;
    this.validations = validations;
    this.environment = environment;
    this.author = author;
  }

  @Override
  public String name() {
    return NAME + "-" + environment;
  }

  @Override
  public Result run(PipelineRun run, EventSink events) throws Exception {
    String image = run.value(BuildImageStage.NAME, BuildImageStage.IMAGE).orElseThrow(() ->
        new IllegalStateException("run " + run.id() + " has no built image to release"));
    ValidationReport report = validations.find(run.ref()).orElse(null);
    ReleaseCommit commit = writer.release(new ReleaseRequest(run.ref(), PinnedImage.parse(image), environment,
        run.id(), report, author));
    String sha = commit.sha() == null ? "" : commit.sha();
    return Result.next(Map.of(COMMIT, sha), (commit.created() ? "committed " : "already committed ")
        + run.ref() + " to " + environment + " (" + shortSha(sha) + ")");
  }

  static String shortSha(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
