/**
 * The MPLSoUDP fabric port: a netty epoll UDP socket on port 6635 and the workers' batched senders.
 */
package io.vrouter.agent.fabric;
