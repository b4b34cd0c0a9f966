/**
 * Programs a node's overlay (pods, fabric, tunnels, labels) through the control socket, for the
 * pod benchmark and manual setups; the same requests the end-to-end test sends.
 */
package io.vrouter.tools.node;
