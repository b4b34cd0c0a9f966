/**
 * Offloads in software (docs/adr/0012-pod-offloads.md): the segmentation of TCP super-frames (GSO) into the
 * segments a path that cannot carry a super-frame needs, and the completion of partial checksums.
 */
package io.vrouter.core.offload;
