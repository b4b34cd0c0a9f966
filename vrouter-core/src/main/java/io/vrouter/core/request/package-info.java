/**
 * The programming object model (Contrail's vr_*_req objects as {@link io.vrouter.core.request.SandeshObject}),
 * ops, return codes and answers.
 */
package io.vrouter.core.request;
