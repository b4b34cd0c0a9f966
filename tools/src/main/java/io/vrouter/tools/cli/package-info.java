/**
 * Operator views in the layouts of Contrail's vif, nh, rt, mpls, dropstats and vrfstats tools.
 */
package io.vrouter.tools.cli;
