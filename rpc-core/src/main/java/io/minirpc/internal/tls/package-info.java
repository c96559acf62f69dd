/**
 * TLS handlers and the clear errors for a peer that does not speak TLS.
 *
 * <p><b>Not API.</b> Public only so that minirpc's other packages can use it: it may change in any
 * release, and the module io.minirpc.core does not export it, so a named module cannot import it.
 */
package io.minirpc.internal.tls;
