package io.vrouter.tools.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;

import io.vrouter.core.iface.VifType;
import io.vrouter.wire.AddressFamily;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Values of the write verbs' options as Contrail's tools read them: MACs as {@code ether_aton} does
 * (one or two hex digits per byte, {@code 2:0:0:0:0:1}), addresses as literals only (never a name
 * lookup), families and interface types by Contrail's words. A value that does not read is a usage
 * error naming the option (exit status 2).
 */
final class CliValues
{
    private CliValues()
    {
    }

    /**
     * A usage error of the command.
     *
     * @param spec    the command.
     * @param message what is wrong.
     * @return the exception to throw.
     */
    static CommandLine.ParameterException usage(final CommandSpec spec, final String message)
    {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * A MAC address in the low 48 bits.
     *
     * @param spec   the command.
     * @param option the option's name, for the message.
     * @param text   {@code aa:bb:cc:dd:ee:ff}, leading zeros optional.
     * @return the address.
     */
    static long mac(final CommandSpec spec, final String option, final String text)
    {
        final String[] parts = text.split(":", -1);
        if (parts.length != 6)
        {
            throw usage(spec, option + ": '" + text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
        }
        long mac = 0;
        for (final String p : parts)
        {
            if (p.isEmpty() || p.length() > 2 || Character.digit(p.charAt(0), 16) < 0
                || p.length() == 2 && Character.digit(p.charAt(1), 16) < 0)
            {
                throw usage(spec, option + ": '" + text + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
            }
            mac = mac << 8 | Integer.parseInt(p, 16);
        }
        return mac;
    }

    /**
     * An IPv4 or IPv6 address literal (Contrail's {@code rt -p} tries IPv4 first, then IPv6).
     *
     * @param spec   the command.
     * @param option the option's name.
     * @param text   the literal.
     * @return its bytes, 4 or 16.
     */
    static byte[] address(final CommandSpec spec, final String option, final String text)
    {
        try
        {
            return InetAddress.ofLiteral(text).getAddress();
        }
        catch (final IllegalArgumentException e)
        {
            throw usage(spec, option + ": '" + text + "' is not an IPv4 or IPv6 address");
        }
    }

    /**
     * An IPv4 address literal.
     *
     * @param spec   the command.
     * @param option the option's name.
     * @param text   the literal.
     * @return its 4 bytes.
     */
    static byte[] ipv4(final CommandSpec spec, final String option, final String text)
    {
        try
        {
            final InetAddress a = InetAddress.ofLiteral(text);
            if (a instanceof Inet4Address)
            {
                return a.getAddress();
            }
        }
        catch (final IllegalArgumentException e)
        {
            // reported below
        }
        throw usage(spec, option + ": '" + text + "' is not an IPv4 address");
    }

    /**
     * An IPv4 address as Contrail's u32 fields carry it (the network-order bytes read little-endian).
     *
     * @param spec   the command.
     * @param option the option's name.
     * @param text   the literal.
     * @return the u32.
     */
    static int ipv4Field(final CommandSpec spec, final String option, final String text)
    {
        final byte[] b = ipv4(spec, option, text);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /**
     * A family: Contrail's {@code rt -f} numbers (0 inet, 1 bridge, 2 inet6) or the {@code --family}
     * words.
     *
     * @param spec the command.
     * @param text the value.
     * @return the {@link AddressFamily} value.
     */
    static int family(final CommandSpec spec, final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "0":
            case "inet":
                return AddressFamily.INET;
            case "1":
            case "bridge":
                return AddressFamily.BRIDGE;
            case "2":
            case "inet6":
                return AddressFamily.INET6;
            default:
                throw usage(spec, "family must be inet (0), bridge (1) or inet6 (2), not '" + text + "'");
        }
    }

    /**
     * An interface type by Contrail's {@code vif --type} words.
     *
     * @param spec the command.
     * @param text vhost, agent, physical, virtual or monitoring (or the type's number).
     * @return the {@link VifType} value.
     */
    static int vifType(final CommandSpec spec, final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "vhost":
            case "host":
                return VifType.HOST;
            case "agent":
                return VifType.AGENT;
            case "physical":
                return VifType.PHYSICAL;
            case "virtual":
                return VifType.VIRTUAL;
            case "monitoring":
                return VifType.MONITORING;
            default:
                throw usage(spec, "--type must be vhost, agent, physical, virtual or monitoring, not '" + text + "'");
        }
    }

    /**
     * A transport by Contrail's {@code vif --transport} words.
     *
     * @param spec the command.
     * @param text virtual, eth, pmd or socket.
     * @return {@code vifr_transport}.
     */
    static int transport(final CommandSpec spec, final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "virtual":
                return 0;
            case "eth":
                return 1;
            case "pmd":
                return 2;
            case "socket":
                return 3;
            default:
                throw usage(spec, "--transport must be virtual, eth, pmd or socket, not '" + text + "'");
        }
    }

    /**
     * An unsigned number in C's {@code strtoul(s, NULL, 0)} forms: decimal, {@code 0x} hex.
     *
     * @param spec   the command.
     * @param option the option's name.
     * @param text   the value.
     * @param max    the largest accepted.
     * @return the value.
     */
    static long unsigned(final CommandSpec spec, final String option, final String text, final long max)
    {
        final String t = text.trim();
        try
        {
            final long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16)
                : Long.parseLong(t);
            if (v >= 0 && v <= max)
            {
                return v;
            }
        }
        catch (final NumberFormatException e)
        {
            // reported below
        }
        throw usage(spec, option + ": '" + text + "' is not a number in [0, " + max + "]");
    }
}
