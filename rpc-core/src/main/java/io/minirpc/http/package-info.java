/**
 * The REST bridge: the same services over HTTP/1.1 and JSON, turned on with {@code
 * RpcServer.builder().restPort(..)} (docs/REST.md).
 *
 * <p><b>Not API.</b> Its public classes are for {@code RpcServer}; the module io.minirpc.core does
 * not export this package.
 */
package io.minirpc.http;
