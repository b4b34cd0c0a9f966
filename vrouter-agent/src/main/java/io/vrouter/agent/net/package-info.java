/**
 * What every listener shares to survive hostile clients: a connection cap and a deadline for a
 * connection to prove itself ({@link io.vrouter.agent.net.ConnectionLimiter}).
 */
package io.vrouter.agent.net;
