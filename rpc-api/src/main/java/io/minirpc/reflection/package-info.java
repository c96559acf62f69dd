/**
 * The reflection service every server serves unless switched off: {@link
 * io.minirpc.reflection.Reflection}, which lists the services a server exports and their methods'
 * types, for tools and generic callers.
 */
package io.minirpc.reflection;
