/**
 * End-to-end test: two node namespaces, one vrouterd process each, pods in their own namespaces.
 */
package io.vrouter.agent.e2e;
