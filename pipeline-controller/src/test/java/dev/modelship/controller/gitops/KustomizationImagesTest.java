package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KustomizationImagesTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final KustomizationImages.Entry RELEASE = new KustomizationImages.Entry("modelship-serving",
      "127.0.0.1:5000/models/serving", "clicks-3", DIGEST);

  @Test
  void appendsTheListWhenTheFileHasNone() throws Exception {
    String before = "# staging\nresources:\n  - ../../base # the base\n";

    String after = KustomizationImages.set(before, RELEASE);

    assertThat(after).isEqualTo(before + "images:\n  - name: modelship-serving\n"
        + "    newName: \"127.0.0.1:5000/models/serving\"\n    newTag: clicks-3\n    digest: " + DIGEST + "\n");
  }

  @Test
  void changesOnlyTheValuesOfTheEntryKeepingCommentsAndOtherEntries() throws Exception {
    String before = String.join("\n",
        "# Production overlay.",
        "resources:",
        "  - ../../base",
        "images:",
        "  # the sidecar is pinned by hand",
        "  - name: sidecar",
        "    newTag: \"1.2\"",
        "  - name: modelship-serving   # managed by modelship",
        "    newName: old.example.com/serving",
        "    newTag: clicks-2  # previous",
        "    digest: sha256:" + "00".repeat(32),
        "",
        "# trailing comment",
        "namespace: models-production",
        "");

    String after = KustomizationImages.set(before, RELEASE);

    assertThat(after).isEqualTo(before
        .replace("newName: old.example.com/serving", "newName: \"127.0.0.1:5000/models/serving\"")
        .replace("newTag: clicks-2  # previous", "newTag: clicks-3  # previous")
        .replace("sha256:" + "00".repeat(32), DIGEST));
  }

  @Test
  void handlesZeroIndentedListsAndKeysInAnyOrder() throws Exception {
    String before = "images:\n- digest: sha256:" + "11".repeat(32) + "\n  name: modelship-serving\n"
        + "  newName: registry.local/serving\n- name: other\n  newName: x/y\nnamePrefix: a-\n";

    String after = KustomizationImages.set(before, RELEASE);

    assertThat(after).isEqualTo("images:\n- digest: " + DIGEST + "\n  name: modelship-serving\n"
        + "  newName: \"127.0.0.1:5000/models/serving\"\n  newTag: clicks-3\n- name: other\n  newName: x/y\n"
        + "namePrefix: a-\n");
  }

  @Test
  void removesTheTagWhenTheNewImageHasNone() throws Exception {
    String before = "images:\n  - name: modelship-serving\n    newName: a/b\n    newTag: v1\n    digest: "
        + "sha256:" + "22".repeat(32) + "\n";
    KustomizationImages.Entry untagged = new KustomizationImages.Entry("modelship-serving", "a/b", null, DIGEST);

    String after = KustomizationImages.set(before, untagged);

    assertThat(after).isEqualTo("images:\n  - name: modelship-serving\n    newName: a/b\n    digest: " + DIGEST
        + "\n");
  }

  @Test
  void rewritesAFlowStyleEntryAsABlockLeavingTheOthers() throws Exception {
    String before = "images:\n  - {name: other, newTag: \"2\"}\n  - {name: modelship-serving, newTag: old}\n"
        + "resources: [../../base]\n";

    String after = KustomizationImages.set(before, RELEASE);

    assertThat(after).isEqualTo("images:\n  - {name: other, newTag: \"2\"}\n  - name: modelship-serving\n"
        + "    newName: \"127.0.0.1:5000/models/serving\"\n    newTag: clicks-3\n    digest: " + DIGEST + "\n"
        + "resources: [../../base]\n");
  }

  @Test
  void fillsAnEmptyFlowListAndKeepsItsComment() throws Exception {
    String before = "images: []  # set by modelship release\nresources:\n- ../../base\n";

    String after = KustomizationImages.set(before, RELEASE);

    assertThat(after).startsWith("images:  # set by modelship release\n  - name: modelship-serving\n")
        .endsWith("resources:\n- ../../base\n");
  }

  @Test
  void keepsCrlfLineEndingsAndAMissingFinalNewline() throws Exception {
    String before = "resources:\r\n  - ../../base\r\nimages:\r\n  - name: modelship-serving\r\n    newTag: a";

    String after = KustomizationImages.set(before, RELEASE);

    assertThat(after).isEqualTo("resources:\r\n  - ../../base\r\nimages:\r\n  - name: modelship-serving\r\n"
        + "    newTag: clicks-3\r\n    newName: \"127.0.0.1:5000/models/serving\"\r\n    digest: " + DIGEST);
  }

  @Test
  void acceptsQuotedKeysAndValuesAndAnEntryWhoseContentStartsOnTheNextLine() throws Exception {
    String before = "\"images\":\n  -\n    \"name\": 'modelship-serving'\n    'newTag': \"x # not a comment\"\n";

    String after = KustomizationImages.set(before, RELEASE);

    assertThat(KustomizationImages.find(after, "modelship-serving")).contains(RELEASE);
    assertThat(after).contains("    'newTag': clicks-3\n").contains("    \"name\": 'modelship-serving'\n");
  }

  @Test
  void quotesTagsThatYamlWouldReadAsNumbers() throws Exception {
    KustomizationImages.Entry numeric = new KustomizationImages.Entry("modelship-serving", "a/b", "3", DIGEST);

    String after = KustomizationImages.set("resources: []\n", numeric);

    assertThat(after).contains("newTag: \"3\"");
    assertThat(KustomizationImages.find(after, "modelship-serving").orElseThrow().newTag()).isEqualTo("3");
  }

  @Test
  void refusesAnInlineListRatherThanRewritingIt() {
    assertThatThrownBy(() -> KustomizationImages.set("images: [{name: modelship-serving}]\n", RELEASE))
        .isInstanceOf(GitOpsException.class).hasMessageContaining("write it as a block list")
        .extracting(e -> ((GitOpsException) e).kind()).isEqualTo(GitOpsException.Kind.UNEDITABLE);
  }

  @Test
  void refusesAnEditThatWouldChangeMoreThanTheEntry() {
    String multiLineValue = "images:\n  - name: modelship-serving\n    newTag:\n      v1\n";

    assertThatThrownBy(() -> KustomizationImages.set(multiLineValue, RELEASE)).isInstanceOf(GitOpsException.class)
        .hasMessageContaining("without changing anything else");
  }

  @Test
  void refusesInvalidYamlAndDuplicateKeys() {
    assertThatThrownBy(() -> KustomizationImages.set("images:\n  - name: [\n", RELEASE))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> KustomizationImages.set("images: []\nimages: []\n", RELEASE))
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void findsNothingInAFileWithoutTheEntry() throws Exception {
    assertThat(KustomizationImages.find("resources:\n- x\n", "modelship-serving")).isEmpty();
    assertThat(KustomizationImages.find("images:\n- name: other\n", "modelship-serving")).isEmpty();
  }
}
