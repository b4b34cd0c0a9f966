package io.vrouter.xmpp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Writes stanzas ({@link XmlElement}, {@link XmppOutbound}) and raw stream text (the header, whitespace
 * keepalives, the closing tag) as UTF-8.
 */
@ChannelHandler.Sharable
public final class XmppEncoder extends MessageToByteEncoder<Object>
{
    /** The one instance; it holds no state. */
    public static final XmppEncoder INSTANCE = new XmppEncoder();

    private XmppEncoder()
    {
    }

    @Override
    public boolean acceptOutboundMessage(final Object msg)
    {
        return msg instanceof XmlElement || msg instanceof XmppOutbound || msg instanceof String;
    }

    @Override
    protected ByteBuf allocateBuffer(final ChannelHandlerContext ctx, final Object msg, final boolean preferDirect)
    {
        return msg instanceof XmppOutbound o ? ctx.alloc().ioBuffer(o.sizeHint()) : ctx.alloc().ioBuffer();
    }

    @Override
    protected void encode(final ChannelHandlerContext ctx, final Object msg, final ByteBuf out)
    {
        if (msg instanceof XmppOutbound o)
        {
            o.writeTo(out);
            return;
        }
        final String text = msg instanceof XmlElement e ? e.toXml() : (String)msg;
        out.writeCharSequence(text, StandardCharsets.UTF_8);
    }
}
