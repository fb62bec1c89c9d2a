package dev.modelship.controller.gitops;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.PersonIdent;

/** Who a GitOps commit is by: the person or the pipeline that asked for it. */
public record GitAuthor(String name, String email) {
  private static final Pattern NAME_AND_EMAIL = Pattern.compile("\\s*(?<name>[^<>]+?)\\s*<(?<email>[^<>\\s]+)>\\s*");

  public GitAuthor {
    if (name == null || name.isBlank() || email == null || email.isBlank() || name.contains("\n")
        || email.contains("\n")) {
      throw new IllegalArgumentException("a commit author needs a name and an email");
    }
  }

  /** {@code Name <email>}. */
  public static GitAuthor parse(String text) {
    Matcher matcher = NAME_AND_EMAIL.matcher(text == null ? "" : text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an author as 'Name <email>'");
    }
    return new GitAuthor(matcher.group("name"), matcher.group("email"));
  }

  /** From {@code MODELSHIP_GIT_AUTHOR} ('Name &lt;email&gt;'), else Modelship itself. */
  public static GitAuthor fromEnvironment(Map<String, String> env) {
    String configured = env.get("MODELSHIP_GIT_AUTHOR");
    return configured == null || configured.isBlank() ? new GitAuthor("Modelship", "modelship@localhost")
        : parse(configured);
  }

  PersonIdent ident(Clock clock) {
    return new PersonIdent(name, email, clock.instant(), ZoneOffset.UTC);
  }

  @Override
  public String toString() {
    return name + " <" + email + ">";
  }
}
