/**
 * Operator tools, the replay harness, the reference controller and the lab.
 */
package io.vrouter.tools;
