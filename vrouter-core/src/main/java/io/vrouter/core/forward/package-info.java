/**
 * The packet pipeline: batches, per-packet context, forwarding.
 */
package io.vrouter.core.forward;
