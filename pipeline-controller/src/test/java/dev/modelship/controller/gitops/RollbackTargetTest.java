package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollbackTargetTest {
  @Test
  void restoresTheReleaseBeforeTheCurrentOne() throws Exception {
    List<ReleaseEvent> history = List.of(release("c", 3), release("b", 2), release("a", 1));

    RollbackTarget target = RollbackTarget.choose(history, "staging", "3", null);

    assertThat(target.target().version()).isEqualTo("2");
    assertThat(target.revertedSha()).isEqualTo("c");
  }

  @Test
  void skipsVersionsARollbackTookOutUnlessReleasedAgainSince() throws Exception {
    List<ReleaseEvent> afterRollback = List.of(rollback("d", 2, 3), release("c", 3), release("b", 2),
        release("a", 1));
    List<ReleaseEvent> afterRerelease = List.of(release("f", 4), release("e", 3), rollback("d", 2, 3),
        release("c", 3), release("b", 2), release("a", 1));

    assertThat(RollbackTarget.choose(afterRollback, "staging", "2", null).target().version()).isEqualTo("1");
    assertThat(RollbackTarget.choose(afterRerelease, "staging", "4", null).target().version()).isEqualTo("3");
  }

  @Test
  void ignoresOtherEnvironmentsAndEditsButFindsANamedVersionAnywhere() throws Exception {
    ReleaseEvent edit = new ReleaseEvent("e", ReleaseEvent.Action.EDIT, null, null, null, null, null, null, "a",
        Instant.EPOCH, "edit", "edit");
    ReleaseEvent production = new ReleaseEvent("p", ReleaseEvent.Action.RELEASE, "m", "9", "production",
        GitFixtures.image("m", 9).reference(), "r", null, "a", Instant.EPOCH, "s", "w");
    List<ReleaseEvent> history = List.of(edit, production, release("b", 2), release("a", 1));

    assertThat(RollbackTarget.choose(history, "staging", "2", null).target().version()).isEqualTo("1");
    assertThat(RollbackTarget.choose(history, "staging", "2", 9L).target().sha()).isEqualTo("p");
  }

  @Test
  void saysWhenThereIsNothingToGoBackTo() {
    assertThatThrownBy(() -> RollbackTarget.choose(List.of(release("a", 1)), "staging", "1", null))
        .hasMessageContaining("no earlier release in staging to roll back to (released: 1)");
    assertThatThrownBy(() -> RollbackTarget.choose(List.of(release("a", 1)), "staging", "1", 5L))
        .hasMessageContaining("version 5 was never released (released: 1)");
  }

  private static ReleaseEvent release(String sha, long version) {
    return new ReleaseEvent(sha, ReleaseEvent.Action.RELEASE, "m", Long.toString(version), "staging",
        GitFixtures.image("m", version).reference(), "run", null, "a", Instant.EPOCH, "s", "w");
  }

  private static ReleaseEvent rollback(String sha, long version, long replaces) {
    return new ReleaseEvent(sha, ReleaseEvent.Action.ROLLBACK, "m", Long.toString(version), "staging",
        GitFixtures.image("m", version).reference(), "run", Long.toString(replaces), "a", Instant.EPOCH, "s", "w");
  }
}
