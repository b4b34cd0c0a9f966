/**
 * Drop reasons and counters (per interface, per VRF, per worker).
 */
package io.vrouter.core.status;
