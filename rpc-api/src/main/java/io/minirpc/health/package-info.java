/**
 * The health service every server serves: {@link io.minirpc.health.Health} and its {@link
 * io.minirpc.health.ServingStatus}, for callers, load balancers and Kubernetes probes.
 */
package io.minirpc.health;
