/**
 * Service discovery through ZooKeeper: {@link io.minirpc.registry.zookeeper.ZooKeeperRegistry}, and
 * {@link io.minirpc.registry.zookeeper.EmbeddedZooKeeper}, an in-process server for demos and
 * tests.
 */
package io.minirpc.registry.zookeeper;
