/**
 * The set of a forwarder's tables and the sizes and options they are built with: what the programming
 * model writes and every worker's graph reads.
 */
package io.vrouter.core.table;
