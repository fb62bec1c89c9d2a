package dev.modelship.controller.pipeline.stages;

import dev.modelship.controller.gitops.GitAuthor;
import dev.modelship.controller.gitops.PromotionRequest;
import dev.modelship.controller.gitops.ReleaseCommit;
import dev.modelship.controller.gitops.ReleaseEvent;
import dev.modelship.controller.gitops.ReleaseWriter;
import dev.modelship.controller.pipeline.PipelineRun;
import dev.modelship.controller.pipeline.Stage;
import java.util.List;
import java.util.Map;

/**
 * Promotes the run's image from one environment to the next once its rollout there succeeded: a commit releasing
 * to {@code to} exactly what {@code from} runs. Promoting what {@code to} already pins commits nothing, so a resumed
 * run never commits twice; if {@code from} no longer runs this run's image (someone released or rolled back in
 * between), the stage fails naming what it found instead of promoting someone else's version.
 */
public final class PromoteStage implements Stage {
  /** Stage names are {@code promote-<to>}. */
  public static final String NAME = "promote";

  private final ReleaseWriter writer;
  private final String from;
  private final String to;
  private final GitAuthor author;

  public PromoteStage(ReleaseWriter writer, String from, String to, GitAuthor author) {
    this.writer = writer;
    this.from = from;
    this.to = to;
    this.author = author;
  }

  @Override
  public String name() {
    return NAME + "-" + to;
  }

  @Override
  public Result run(PipelineRun run, EventSink events) throws Exception {
    String image = run.value(BuildImageStage.NAME, BuildImageStage.IMAGE).orElseThrow(() ->
        new IllegalStateException("run " + run.id() + " has no built image to promote"));
    String digest = RolloutStage.digest(image);
    List<ReleaseEvent> source = writer.history(run.ref().name(), from);
    if (source.isEmpty() || !digest.equals(RolloutStage.digest(source.get(0).image()))) {
      throw new IllegalStateException(from + " no longer runs " + run.ref() + " (" + (source.isEmpty() ? "nothing"
          : source.get(0).action().name().toLowerCase(java.util.Locale.ROOT) + " of version "
          + source.get(0).version()) + " is newest there); not promoting to " + to);
    }
    ReleaseCommit commit = writer.promote(new PromotionRequest(run.ref().name(), from, to, run.id(), author));
    List<ReleaseEvent> target = writer.history(run.ref().name(), to);
    if (target.isEmpty() || !digest.equals(RolloutStage.digest(target.get(0).image()))) {
      throw new IllegalStateException("promoted " + from + " to " + to + ", but " + to + " does not pin "
          + run.ref() + "'s image: " + from + " changed during the promotion");
    }
    String sha = commit.sha() == null ? "" : commit.sha();
    return Result.next(Map.of(ReleaseStage.COMMIT, sha), (commit.created() ? "promoted " : "already promoted ")
        + run.ref() + " from " + from + " to " + to + " (" + ReleaseStage.shortSha(sha) + ")");
  }
}
