package io.vrouter.encap;

import io.vrouter.wire.ArpHeader;
import io.vrouter.wire.EtherType;
import io.vrouter.wire.EthernetHeader;
import io.vrouter.wire.MacAddress;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Turns an ARP request into the reply in place (the vRouter's proxy ARP for gateway and remote addresses).
 * Allocation-free.
 */
public final class ArpResponder
{
    private ArpResponder()
    {
    }

    /**
     * Rewrite an Ethernet/IPv4 ARP request into a reply saying "target IP is at {@code mac}". Ethernet: dst = the
     * requester, src = {@code mac} (one 802.1Q tag is kept). ARP: operation 2, sender = ({@code mac}, requested
     * IP), target = the requester's (MAC, IP).
     *
     * @param buffer      holding the frame.
     * @param frameOffset offset of the Ethernet header.
     * @param frameLength received bytes.
     * @param mac         MAC address to answer with.
     * @return length of the reply frame (without padding), or -1 if the frame is not an Ethernet/IPv4 ARP request.
     */
    public static int reply(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final long mac)
    {
        if (frameLength < EthernetHeader.HEADER_LENGTH)
        {
            return -1;
        }
        final int arpOffset = EthernetHeader.payloadOffset(buffer, frameOffset);
        final int replyLength = arpOffset - frameOffset + ArpHeader.LENGTH;
        if (replyLength > frameLength ||
            EtherType.ARP != EthernetHeader.payloadEtherType(buffer, frameOffset) ||
            !ArpHeader.isEthernetIpv4(buffer, arpOffset) ||
            ArpHeader.OP_REQUEST != ArpHeader.operation(buffer, arpOffset))
        {
            return -1;
        }

        final long requesterMac = MacAddress.read(buffer, arpOffset + ArpHeader.SENDER_MAC_OFFSET);
        final int requesterIp = ArpHeader.senderIp(buffer, arpOffset);
        final int targetIp = ArpHeader.targetIp(buffer, arpOffset);

        MacAddress.write(buffer, frameOffset + EthernetHeader.DST_MAC_OFFSET, requesterMac);
        MacAddress.write(buffer, frameOffset + EthernetHeader.SRC_MAC_OFFSET, mac);
        buffer.putShort(arpOffset + ArpHeader.OPERATION_OFFSET, (short)ArpHeader.OP_REPLY, ByteOrder.BIG_ENDIAN);
        MacAddress.write(buffer, arpOffset + ArpHeader.SENDER_MAC_OFFSET, mac);
        buffer.putInt(arpOffset + ArpHeader.SENDER_IP_OFFSET, targetIp, ByteOrder.BIG_ENDIAN);
        MacAddress.write(buffer, arpOffset + ArpHeader.TARGET_MAC_OFFSET, requesterMac);
        buffer.putInt(arpOffset + ArpHeader.TARGET_IP_OFFSET, requesterIp, ByteOrder.BIG_ENDIAN);

        return replyLength;
    }
}
