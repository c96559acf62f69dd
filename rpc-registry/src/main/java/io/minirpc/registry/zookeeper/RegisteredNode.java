package io.minirpc.registry.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

/**
 * The ephemeral node of one registered provider, kept in ZooKeeper by Curator's {@link
 * PersistentNode} recipe: when someone else deletes it, or the session that owned it ends and
 * Curator connects with a new one, it is created again holding the same document.
 *
 * <p>A node of another session already at the path is adopted (its data set to this document) and
 * created anew once it vanishes; the registry deletes such a node first so that it need not wait
 * for that session to end. {@link #close()} deletes the node at once when connected; when not, it
 * leaves the delete to Curator's guaranteed background delete rather than waiting out the
 * connection timeout and every retry.
 */
final class RegisteredNode extends PersistentNode {

  private final CuratorFramework client;
  private final String path;
  private volatile ProviderNode document;

  RegisteredNode(CuratorFramework client, String path, ProviderNode document) {
    super(client, CreateMode.EPHEMERAL, false, path, document.toJson());
    this.client = client;
    this.path = path;
    this.document = document;
  }

  String path() {
    return path;
  }

  /** The document the node holds, and is created again with. */
  ProviderNode document() {
    return document;
  }

  /**
   * Makes {@code newDocument} the node's data, now in the background and whenever the node is
   * created again. Only once the initial create is done.
   */
  void update(ProviderNode newDocument) throws Exception {
    if (newDocument.equals(document)) {
      return;
    }
    document = newDocument;
    setData(newDocument.toJson());
  }

  @Override
  protected void deleteNode() throws Exception {
    if (client.getZookeeperClient().isConnected()) {
      super.deleteNode();
      return;
    }
    String actual = getActualPath();
    if (actual != null) {
      // Done once the client reconnects with the same session; with a new one the node is gone.
      client.delete().guaranteed().inBackground().forPath(actual);
    }
  }

  @Override
  public String toString() {
    return "RegisteredNode{" + path + "}";
  }
}
