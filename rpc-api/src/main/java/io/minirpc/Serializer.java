package io.minirpc;

import java.util.List;
import java.util.Map;

/**
 * Turns a method's arguments and result into bytes and back. One serializer is chosen per client
 * and named by its {@link #id()} in every frame's header; a server accepts each serializer it has.
 *
 * <p>A serializer is prepared once per service interface, when a stub is made or a service
 * exported: {@link #prepare} sees every method's declared types, refuses what it cannot carry, and
 * returns a codec per method that does no type analysis per call. Values are written knowing their
 * declared types, so a payload never decides which class gets created.
 *
 * <p>Implementations must be thread-safe; their codecs are called from many threads at once.
 */
public interface Serializer {

  /** The serializer's number in a frame header: 1 to 127, unique among a peer's serializers. */
  int id();

  /** A short lower-case name for messages and configuration, such as {@code "kryo"}. */
  String name();

  /**
   * Prepares the codecs of one service's methods.
   *
   * @return a codec for each of the given methods
   * @throws IllegalArgumentException if a type cannot be carried by this serializer; the message
   *     names the method and the type
   */
  Map<MethodSignature, MethodCodec> prepare(
      Class<?> serviceInterface, List<MethodSignature> methods);
}
