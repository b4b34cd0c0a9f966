/**
 * Tests of the CNI plugin's command handling (the runtime end to end is in the lab's tests).
 */
package io.vrouter.tools.cni;
