/**
 * The single-machine lab: a controller and two nodes, each in its own network namespace with its
 * own vrouterd, driven through the seed article's Kubernetes setups with real pings between pods.
 */
package io.vrouter.tools.lab;
