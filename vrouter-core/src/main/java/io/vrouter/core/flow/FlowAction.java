package io.vrouter.core.flow;

/**
 * Flow actions ({@code fe_action}) and flags ({@code fe_flags}), with Contrail's values (reference §1.7).
 */
public final class FlowAction
{
    /** Drop. */
    public static final int DROP = 0;
    /** Hold: packets wait (a few per flow) for a decision from the slow path. */
    public static final int HOLD = 1;
    /** Forward. */
    public static final int FORWARD = 2;
    /** Forward with NAT (flags SNAT/SPAT/DNAT/DPAT say what; values come from the reverse flow's key). */
    public static final int NAT = 3;
    /** Number of actions. */
    public static final int COUNT = 4;

    /** Entry in use. */
    public static final int FLAG_ACTIVE = 0x1;
    /** Source NAT. */
    public static final int FLAG_SNAT = 0x2;
    /** Source port NAT. */
    public static final int FLAG_SPAT = 0x4;
    /** Destination NAT. */
    public static final int FLAG_DNAT = 0x8;
    /** Destination port NAT. */
    public static final int FLAG_DPAT = 0x10;
    /** Any NAT flag. */
    public static final int NAT_MASK = FLAG_SNAT | FLAG_SPAT | FLAG_DNAT | FLAG_DPAT;
    /** Modified by a later request. */
    public static final int FLAG_MODIFIED = 0x100;
    /** Created in line (new flow). */
    public static final int FLAG_NEW_FLOW = 0x200;
    /** TCP FIN/RST seen: the entry may be reclaimed early. */
    public static final int FLAG_EVICT_CANDIDATE = 0x400;
    /** Reclaimed by eviction. */
    public static final int FLAG_EVICTED = 0x800;
    /** The reverse index is valid. */
    public static final int FLAG_RFLOW_VALID = 0x1000;
    /** Copy the flow's packets to its mirror. */
    public static final int FLAG_MIRROR = 0x2000;
    /** Translate to {@code fe_dvrf}. */
    public static final int FLAG_VRFT = 0x4000;
    /** Flags a request may set. */
    public static final int REQUEST_FLAGS = FLAG_ACTIVE | NAT_MASK | FLAG_MODIFIED | FLAG_NEW_FLOW
        | FLAG_RFLOW_VALID | FLAG_MIRROR | FLAG_VRFT | 0x20 | 0x40 | 0x80 | 0x8000;

    /** TCP: FIN seen (forward). */
    public static final int TCP_FIN = 0x1;
    /** TCP: FIN seen in the reverse direction. */
    public static final int TCP_FIN_R = 0x4;
    /** TCP: SYN seen. */
    public static final int TCP_SYN = 0x8;
    /** TCP: SYN seen in reverse. */
    public static final int TCP_SYN_R = 0x10;
    /** TCP: established. */
    public static final int TCP_ESTABLISHED = 0x20;
    /** TCP: RST seen. */
    public static final int TCP_RST = 0x80;
    /** TCP: dead (closed, evictable). */
    public static final int TCP_DEAD = 0x8000;

    private FlowAction()
    {
    }

    /**
     * The letter {@code flow -l} prints for an action.
     *
     * @param action the action.
     * @return F, D, N or H.
     */
    public static String letter(final int action)
    {
        switch (action)
        {
            case DROP:
                return "D";
            case HOLD:
                return "H";
            case FORWARD:
                return "F";
            case NAT:
                return "N";
            default:
                return "?";
        }
    }
}
