/**
 * Tests of the XMPP framer, parser and Contrail message codec.
 */
package io.vrouter.xmpp;
