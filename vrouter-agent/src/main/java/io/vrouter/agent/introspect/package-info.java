/**
 * The introspect endpoint: JSON over HTTP on localhost ({@link io.vrouter.agent.introspect.IntrospectServer})
 * and the JSON rendering of the forwarder's objects shared with {@code vrouterctl --json}.
 */
package io.vrouter.agent.introspect;
