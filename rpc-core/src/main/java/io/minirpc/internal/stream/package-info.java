/**
 * Stream calls' items in both directions, with credit-based backpressure: {@link
 * io.minirpc.internal.stream.InboundStream} receives, {@link
 * io.minirpc.internal.stream.OutboundStream} sends. Shared by the client and the server.
 *
 * <p><b>Not API.</b> Public only so that minirpc's other packages can use it: it may change in any
 * release, and the module io.minirpc.core does not export it, so a named module cannot import it.
 */
package io.minirpc.internal.stream;
