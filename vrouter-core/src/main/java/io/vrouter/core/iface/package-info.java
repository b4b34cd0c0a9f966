/**
 * Interfaces (vif): types, flags, the interface table.
 */
package io.vrouter.core.iface;
