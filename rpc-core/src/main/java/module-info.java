/**
 * The minirpc runtime. It exports the packages users build on ({@code RpcServer}, {@code
 * RpcClient}, the serializers, load balancers, TLS settings and HMAC authentication) and no other:
 * the REST bridge's plumbing ({@code io.minirpc.http}) and everything under {@code
 * io.minirpc.internal} may change in any release and cannot be imported from a named module.
 *
 * <p>A modular application exports its {@code @RpcService} interfaces' packages to this module (the
 * stubs and the dispatch table are built from them) and opens the packages of the types it sends to
 * the serializers that read them by reflection ({@code com.esotericsoftware.kryo}, {@code
 * com.fasterxml.jackson.databind}); see README.md.
 */
module io.minirpc.core {
  requires transitive io.minirpc.api;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires com.esotericsoftware.kryo;
  requires org.objenesis;
  // Kryo's default serializers use java.sql types; as an automatic module it cannot say so itself.
  requires java.sql;
  requires com.google.protobuf;
  // GenericClient answers with Jackson's JsonNode: a module that calls it reads Jackson too.
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires org.slf4j;

  exports io.minirpc.auth;
  exports io.minirpc.client;
  exports io.minirpc.cluster;
  exports io.minirpc.serialize;
  exports io.minirpc.server;
  exports io.minirpc.tls;
}
