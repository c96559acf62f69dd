/**
 * What service authors and callers compile against: the annotations, {@code RpcException} and its
 * {@code Status}, {@code CallOptions}, {@code Deadline}, and the extension interfaces. JDK only.
 */
module io.minirpc.api {
  exports io.minirpc;
  exports io.minirpc.health;
  exports io.minirpc.reflection;
  // How the runtime makes the context of a served call; nobody else may.
  exports io.minirpc.internal.call to
      io.minirpc.core;
}
