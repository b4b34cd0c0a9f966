/**
 * The vtest replay harness: Contrail's XML test cases played against a fresh forwarder, output
 * compared byte for byte with the expected pcaps.
 */
package io.vrouter.tools.replay;
