/**
 * XMPP sessions joined in memory ({@link io.vrouter.xmpp.testing.XmppPipe}): the node and controller ends of a
 * channel exercised together without sockets, by the channel's own tests, the reference controller's and the
 * benchmarks'.
 */
package io.vrouter.xmpp.testing;
