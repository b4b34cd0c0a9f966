package io.vrouter.agent.api;

import java.util.Locale;

import io.vrouter.core.status.DropReason;

/**
 * The request objects the daemon answers itself on the control socket, beside the forwarder's programming model:
 * their type names and the field names a client reads back. The daemon's handlers and the operator CLI both use
 * these, so the CLI needs none of the server's classes.
 */
public final class NodeRequests
{
    /** Pod port add, delete and dump. */
    public static final String PORT = "vr_port_req";
    /** Drop statistics, per worker or summed. */
    public static final String DROP_STATS = "vr_drop_stats_req";
    /** Per-VRF statistics. */
    public static final String VRF_STATS = "vr_vrf_stats_req";

    private NodeRequests()
    {
    }

    /**
     * The field of a {@link #DROP_STATS} answer that counts one drop reason.
     *
     * @param reason the reason.
     * @return {@code vds_} and the reason's lower-case enum name, e.g. {@code vds_invalid_label}.
     */
    public static String dropField(final DropReason reason)
    {
        return "vds_" + reason.name().toLowerCase(Locale.ROOT);
    }
}
