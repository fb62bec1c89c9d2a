package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

/** What the writer puts into commit messages is what history reads back out. */
class CommitMessagesTest {
  private static final OverlayState PREVIOUS = new OverlayState(KustomizationImages.Entry.pinning(
      GitFixtures.image("clicks", 2)), "2");

  @Test
  void aReleaseReadsBackWithItsTrailers() throws Exception {
    String message = CommitMessages.release(GitFixtures.release("clicks", 3, "staging"), PREVIOUS, false);

    ReleaseEvent event = ReleaseEvent.of(commit(message));

    assertThat(message).startsWith("release(clicks): 3 to staging\n\nImage: ")
        .contains("Replaces: clicks:2 (" + GitFixtures.image("clicks", 2) + ")\n")
        .contains("Validation: no report recorded for clicks:3\n");
    assertThat(event).extracting(ReleaseEvent::action, ReleaseEvent::model, ReleaseEvent::version,
        ReleaseEvent::environment, ReleaseEvent::image, ReleaseEvent::run).containsExactly(
        ReleaseEvent.Action.RELEASE, "clicks", "3", "staging", GitFixtures.image("clicks", 3).reference(),
        "run-clicks-3");
  }

  @Test
  void aRollbackSaysWhatItRevertsAndWhy() throws Exception {
    ReleaseEvent target = ReleaseEvent.of(commit(CommitMessages.release(GitFixtures.release("clicks", 1,
        "staging"), PREVIOUS, false)));
    RollbackRequest request = new RollbackRequest("clicks", "staging", null, "error rate 3%\nover budget", "run-8",
        GitFixtures.PIPELINE);

    String message = CommitMessages.rollback(request, target, PREVIOUS, "abc123");
    ReleaseEvent event = ReleaseEvent.of(commit(message));

    assertThat(message).startsWith("rollback(clicks): staging to 1\n\nRestores clicks:1 (")
        .contains("This reverts commit abc123.\n").contains("Reason: error rate 3% over budget\n");
    assertThat(event.action()).isEqualTo(ReleaseEvent.Action.ROLLBACK);
    assertThat(event.replaces()).isEqualTo("2");
    assertThat(event.why()).isEqualTo("error rate 3% over budget");
  }

  @Test
  void aCommitWithoutTheActionTrailerIsAnEdit() throws Exception {
    ReleaseEvent event = ReleaseEvent.of(commit("tune the HPA\n\nModelship-Version: 9\n"));

    assertThat(event.action()).isEqualTo(ReleaseEvent.Action.EDIT);
    assertThat(event.setsImage()).isFalse();
    assertThat(event.why()).isEqualTo("tune the HPA");
  }

  private static RevCommit commit(String message) throws Exception {
    PersonIdent who = new PersonIdent("Ada Ops", "ada@team.test", Instant.EPOCH, ZoneOffset.UTC);
    CommitBuilder builder = new CommitBuilder();
    builder.setTreeId(ObjectId.zeroId());
    builder.setAuthor(who);
    builder.setCommitter(who);
    builder.setMessage(message);
    return RevCommit.parse(builder.build());
  }
}
