package io.minirpc.client;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.minirpc.MethodCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The caller's codec of a generic call: writes the call's JSON array of arguments as it is, which
 * is what {@code JsonSerializer} writes for a stub's call (a JSON array, one element per
 * parameter), so that the server reads it with the method's declared types as any call; reads the
 * result as a JSON tree, {@code null} as {@link NullNode}. Stateless, so shared.
 */
final class GenericJsonCodec implements MethodCodec {

  private final ObjectMapper mapper;

  GenericJsonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * @param arguments one element: the {@link JsonNode} array the caller gave
   */
  @Override
  public void writeArguments(Object[] arguments, OutputStream out) throws IOException {
    try (JsonGenerator generator = mapper.createGenerator(out, JsonEncoding.UTF8)) {
      mapper.writeTree(generator, (JsonNode) arguments[0]);
    }
  }

  @Override
  public JsonNode readResult(InputStream in) throws IOException {
    JsonNode result = mapper.readTree(in);
    // An empty body reads as a missing node; a server writes null for a void method.
    return result == null || result.isMissingNode() ? NullNode.getInstance() : result;
  }

  @Override
  public Object[] readArguments(InputStream in) {
    throw new UnsupportedOperationException("a generic call's codec only writes requests");
  }

  @Override
  public void writeResult(Object result, OutputStream out) {
    throw new UnsupportedOperationException("a generic call's codec only writes requests");
  }
}
