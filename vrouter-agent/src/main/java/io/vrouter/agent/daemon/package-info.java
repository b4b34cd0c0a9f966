/**
 * vrouterd: configuration, the node (conductor, workers, pod and fabric ports) and the process entry point.
 */
package io.vrouter.agent.daemon;
