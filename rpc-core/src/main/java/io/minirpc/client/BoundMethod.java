package io.minirpc.client;

import io.minirpc.MethodCodec;
import io.minirpc.internal.service.MethodDescriptor;

/**
 * A remote method as one stub calls it: its descriptor, the codec of the client's serializer, the
 * providers of its service, and the timeout that applies to it through this stub.
 */
final class BoundMethod {

  final MethodDescriptor descriptor;
  final MethodCodec codec;
  final ServiceProviders providers;
  final long timeoutNanos;

  BoundMethod(
      MethodDescriptor descriptor,
      MethodCodec codec,
      ServiceProviders providers,
      long timeoutNanos) {
    this.descriptor = descriptor;
    this.codec = codec;
    this.providers = providers;
    this.timeoutNanos = timeoutNanos;
  }
}
