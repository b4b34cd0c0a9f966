/**
 * The programming object model (Contrail's vr_*_req objects), validation and return codes.
 */
package io.vrouter.core.control;
