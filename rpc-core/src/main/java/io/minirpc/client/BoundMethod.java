package io.minirpc.client;

import io.minirpc.Attachments;
import io.minirpc.Deadline;
import io.minirpc.MethodCodec;
import io.minirpc.internal.service.MethodDescriptor;

/**
 * A remote method as one stub calls it: its descriptor, the codec of the client's serializer, the
 * providers of its service, and what the stub's options give each call: the timeout, a deadline if
 * any, and attachments.
 */
final class BoundMethod {

  final MethodDescriptor descriptor;
  final MethodCodec codec;
  final ServiceProviders providers;
  final long timeoutNanos;
  // Null when the stub's options set no deadline.
  final Deadline deadline;
  final Attachments attachments;

  BoundMethod(
      MethodDescriptor descriptor,
      MethodCodec codec,
      ServiceProviders providers,
      long timeoutNanos,
      Deadline deadline,
      Attachments attachments) {
    this.descriptor = descriptor;
    this.codec = codec;
    this.providers = providers;
    this.timeoutNanos = timeoutNanos;
    this.deadline = deadline;
    this.attachments = attachments;
  }
}
