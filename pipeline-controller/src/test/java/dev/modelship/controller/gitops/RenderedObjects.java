package dev.modelship.controller.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The documents of one {@code kubectl kustomize} output, validated: CRD kinds against their schemas, others basically. */
final class RenderedObjects {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<JsonNode> objects;

  private RenderedObjects(List<JsonNode> objects) {
    this.objects = objects;
  }

  static RenderedObjects parse(String yaml) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          objects.add(document);
        }
      }
    }
    return new RenderedObjects(objects);
  }

  /** Every object valid for the API server as far as we can tell; errors name the object and the path. */
  List<String> validate(Map<String, CrdSchema> crds) {
    List<String> errors = new ArrayList<>();
    for (JsonNode object : objects) {
      String kind = object.path("kind").asText();
      CrdSchema schema = crds.get(kind);
      if (schema != null) {
        schema.validate(object).forEach(error -> errors.add(kind + "/" + object.at("/metadata/name").asText() + ": "
            + error));
      } else if (CoreObjects.knows(kind)) {
        errors.addAll(CoreObjects.validate(object));
      } else {
        errors.add("unexpected kind " + object.path("apiVersion").asText() + " " + kind);
      }
    }
    return errors;
  }

  List<JsonNode> all() {
    return objects;
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  /** The one object of that kind and name; fails the test when there is none or several. */
  JsonNode get(String kind, String name) {
    List<JsonNode> matching = ofKind(kind).stream().filter(o -> name.equals(o.at("/metadata/name").asText()))
        .toList();
    assertThat(matching).as("%s/%s", kind, name).hasSize(1);
    return matching.get(0);
  }

  JsonNode only(String kind) {
    assertThat(ofKind(kind)).as("objects of kind %s", kind).hasSize(1);
    return ofKind(kind).get(0);
  }
}
