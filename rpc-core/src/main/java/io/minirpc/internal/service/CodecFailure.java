package io.minirpc.internal.service;

import io.minirpc.RpcException;
import io.minirpc.Status;

/** Turns whatever a serializer threw into the SERIALIZATION failure a caller sees. */
public final class CodecFailure {

  private CodecFailure() {}

  /**
   * A SERIALIZATION exception that says what could not be done and why.
   *
   * @param what for example "could not encode the arguments of UserService.getUser"
   */
  public static RpcException of(String what, Throwable cause) {
    String why =
        cause instanceof RpcException rpc && rpc.status().description() != null
            ? rpc.status().description()
            : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
    return Status.SERIALIZATION.withDescription(what + ": " + why).asException(cause);
  }
}
