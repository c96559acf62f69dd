package io.minirpc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;

/** JSON as the commands print it: indented as the server's own listing is. */
final class JsonOutput {

  // Immutable and thread-safe once configured: sharing it is not shared state.
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private JsonOutput() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The value, indented, without a final line break. */
  static String pretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON text a server answered, parsed; the server wrote it, so it is JSON. */
  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the server answered something that is not JSON: " + e, e);
    }
  }
}
