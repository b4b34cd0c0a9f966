/**
 * What one forwarding worker's graph nodes share: the tables they read, the worker's counters and flow
 * stage, and the actions that end a packet's walk through the graph (send, drop, mirror).
 */
package io.vrouter.core.datapath;
