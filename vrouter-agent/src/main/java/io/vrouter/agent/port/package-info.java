/**
 * Pod ports: TAP devices moved into pod namespaces, iproute2 configuration, libc calls through FFM.
 */
package io.vrouter.agent.port;
