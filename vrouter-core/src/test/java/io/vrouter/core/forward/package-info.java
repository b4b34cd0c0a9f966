/**
 * Pipeline tests: packets in, bytes and counters out.
 */
package io.vrouter.core.forward;
