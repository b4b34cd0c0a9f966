package io.vrouter.tools.replay;

import java.nio.file.Path;
import java.util.List;

import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.SandeshObject;

/**
 * One Contrail vtest XML case: its name and its steps in file order.
 *
 * @param file  the case file.
 * @param name  {@code test_name}.
 * @param steps messages and packet steps in order.
 */
public record VtestCase(Path file, String name, List<Step> steps)
{
    /** A step of a case. */
    public sealed interface Step permits Message, PacketStep
    {
    }

    /**
     * A {@code <message>}: a request, the expected return code and optional expected fields.
     *
     * @param request        the request: its typed record, or the refusal reading it met (which the
     *                       case may expect, as a return code).
     * @param expectedReturn expected {@code resp_code}, or null when the case gives none.
     * @param expect         expected fields of the GET answer (only those the case lists), or null.
     */
    public record Message(Parsed request, Long expectedReturn, SandeshObject expect) implements Step
    {
    }

    /**
     * A {@code <packet>}: play an input pcap into one interface, compare another's output.
     *
     * @param input    input pcap.
     * @param expected expected output pcap.
     * @param txVif    interface the packets enter the forwarder on (vtest's tx_interface).
     * @param rxVif    interface whose output is compared (vtest's rx_interface).
     */
    public record PacketStep(Path input, Path expected, int txVif, int rxVif) implements Step
    {
    }
}
