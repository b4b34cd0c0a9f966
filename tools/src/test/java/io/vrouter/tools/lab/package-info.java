/**
 * The lab as an end-to-end test (root, real namespaces and daemons).
 */
package io.vrouter.tools.lab;
