package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

  @Test
  void readsABearerChallengeWithItsParameters() {
    AuthChallenge challenge = AuthChallenge.parse("Bearer realm=\"https://auth.example.com/token\","
        + "service=\"registry.example.com\",scope=\"repository:models:pull,push\"").orElseThrow();

    assertThat(challenge.isBearer()).isTrue();
    assertThat(challenge.parameters()).isEqualTo(Map.of("realm", "https://auth.example.com/token",
        "service", "registry.example.com", "scope", "repository:models:pull,push"));
  }

  @Test
  void readsABasicChallengeAndUnquotedParameters() {
    AuthChallenge challenge = AuthChallenge.parse("basic realm=registry").orElseThrow();

    assertThat(challenge.isBasic()).isTrue();
    assertThat(challenge.parameter("realm")).contains("registry");
  }

  @Test
  void noHeaderIsNoChallenge() {
    assertThat(AuthChallenge.parse(null)).isEmpty();
    assertThat(AuthChallenge.parse("  ")).isEmpty();
  }
}
