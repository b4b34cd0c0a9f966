/**
 * Fixture: the "xmpp" layer, using a "core" class (allowed by the layering, refused by the channel's own rule).
 */
package io.vrouter.bench.archfixture.xmpp;
