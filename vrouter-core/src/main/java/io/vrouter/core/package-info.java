/**
 * The forwarder: tables, the packet pipeline and counters; pure, no sockets.
 */
package io.vrouter.core;
