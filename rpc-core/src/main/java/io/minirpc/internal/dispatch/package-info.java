/**
 * Serving a call, on the minirpc port and the REST bridge alike: the dispatcher, the server
 * interceptor chain, concurrency limits, the count of calls in flight.
 *
 * <p><b>Not API.</b> Public only so that minirpc's other packages can use it: it may change in any
 * release, and the module io.minirpc.core does not export it, so a named module cannot import it.
 */
package io.minirpc.internal.dispatch;
