/**
 * The controller channel: XMPP as Contrail's agent and control node speak it (reference §4). A
 * streaming stanza framer that refuses DTDs and bounds depth and size, a small immutable element
 * tree, and the route and configuration messages carried over it.
 */
package io.vrouter.xmpp;
