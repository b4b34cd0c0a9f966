/**
 * Test support shared with other modules through the test jar.
 */
package io.vrouter.xmpp.testing;
