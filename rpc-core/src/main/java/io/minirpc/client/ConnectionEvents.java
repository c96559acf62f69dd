package io.minirpc.client;

import io.minirpc.Provider;

/** What the connection pool tells the rest of the client about providers' connections. */
interface ConnectionEvents {

  /** The provider announced that it is shutting down. */
  void goingAway(Provider provider);

  /** A connection to the provider closed; {@code afterGoingAway} if the provider had said so. */
  void closed(Provider provider, boolean afterGoingAway);
}
