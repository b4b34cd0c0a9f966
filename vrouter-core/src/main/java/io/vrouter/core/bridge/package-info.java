/**
 * The bridge table: (VRF, MAC) to next hop and label.
 */
package io.vrouter.core.bridge;
