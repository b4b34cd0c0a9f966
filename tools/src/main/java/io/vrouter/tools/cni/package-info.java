/**
 * {@code vrouter-cni}: the CNI plugin a container runtime calls for a pod's interface; it asks the local
 * {@code vrouterd} for it, as Contrail's {@code contrail-k8s-cni} asks its agent (docs/cni.md).
 */
package io.vrouter.tools.cni;
