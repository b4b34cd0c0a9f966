package io.vrouter.agent.net;

import java.util.Locale;

/**
 * The {@code Host} check of the local HTTP endpoints (introspect, the controller's admin API): only
 * {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with the endpoint's port or none, are
 * answered. A web page that makes a name of its own resolve to 127.0.0.1 (DNS rebinding) sends its
 * own name as {@code Host} and is refused; a request without {@code Host} is refused too.
 */
public final class LoopbackHost
{
    private LoopbackHost()
    {
    }

    /**
     * Whether a request's {@code Host} names this machine's loopback.
     *
     * @param host the header, or null.
     * @param port the endpoint's port.
     * @return whether to answer.
     */
    public static boolean allowed(final String host, final int port)
    {
        if (host == null)
        {
            return false;
        }
        final String h = host.trim().toLowerCase(Locale.ROOT);
        final int colon = h.lastIndexOf(':');
        final boolean hasPort = colon >= 0 && colon > h.lastIndexOf(']');
        final String name = hasPort ? h.substring(0, colon) : h;
        if (hasPort && !h.substring(colon + 1).equals(Integer.toString(port)))
        {
            return false;
        }
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }
}
