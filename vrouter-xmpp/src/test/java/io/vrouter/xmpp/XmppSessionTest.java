package io.vrouter.xmpp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vrouter.xmpp.testing.XmppPipe;
import io.vrouter.xmpp.testing.XmppPipes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XmppSessionTest
{
    private static final String VRF = "default-domain:k8s-default:k8s-default-pod-network:k8s-default-pod-network";

    private final List<String> nodeEvents = new ArrayList<>();
    private final List<String> controllerEvents = new ArrayList<>();
    private final NodeSession node = new NodeSession("compute-1", new ControllerListener()
    {
        @Override
        public void onSessionUp()
        {
            nodeEvents.add("up");
        }

        @Override
        public void onSessionDown()
        {
            nodeEvents.add("down");
        }

        @Override
        public void onRoutes(final ChannelMessage.RouteUpdate update)
        {
            nodeEvents.add("routes " + update.instance() + " " + update.items().size() + " " + update.retracts());
        }

        @Override
        public void onConfig(final ChannelMessage.Config config)
        {
            nodeEvents.add("config " + config.nodes().size());
        }

        @Override
        public void onEndOfRib()
        {
            nodeEvents.add("eor");
        }
    });
    private final ControllerSession controller = new ControllerSession(new NodeChannelListener()
    {
        @Override
        public void onNodeUp(final String name, final ControllerSession session)
        {
            controllerEvents.add("up " + name);
        }

        @Override
        public void onSubscribe(final ControllerSession session, final String instance, final int instanceId)
        {
            if (instance.equals("unknown"))
            {
                throw new XmppProtocolException("unknown instance " + instance);
            }
            controllerEvents.add("subscribe " + instance + " " + instanceId);
        }

        @Override
        public void onUnsubscribe(final ControllerSession session, final String instance)
        {
            controllerEvents.add("unsubscribe " + instance);
        }

        @Override
        public void onRoute(final ControllerSession session, final String instance, final RouteEntry entry,
            final boolean withdraw)
        {
            controllerEvents.add((withdraw ? "withdraw " : "route ") + entry.prefix() + " label " +
                entry.nextHops().get(0).label());
        }

        @Override
        public void onEndOfRib(final ControllerSession session)
        {
            controllerEvents.add("eor " + session.node());
        }

        @Override
        public void onNodeDown(final ControllerSession session)
        {
            controllerEvents.add("down " + session.node());
        }
    });

    private final XmppPipes pipes = new XmppPipes();

    @AfterEach
    void releasePipes()
    {
        pipes.close();
    }

    private static RouteEntry route(final String prefix, final int label)
    {
        return new RouteEntry(1, 1, prefix, List.of(
            new RouteNextHop(1, "192.168.1.11", "", label, List.of("udp"), "vn")), 0, 200);
    }

    @Test
    void handshakeSubscribePublishWithdrawAndRoutesBack()
    {
        final XmppPipe pipe = pipes.open(node, controller);
        final EmbeddedChannel n = pipe.first();
        final EmbeddedChannel c = pipe.second();
        pipe.pump();
        assertEquals(List.of("up"), nodeEvents);
        assertEquals(List.of("up compute-1"), controllerEvents);

        node.subscribe(VRF, 1);
        node.publish(VRF, route("10.47.255.252/32", 25), false);
        node.publish(VRF, route("10.47.255.252/32", 25), true);
        node.endOfRib();
        pipe.pump();
        assertEquals(List.of("up compute-1", "subscribe " + VRF + " 1", "route 10.47.255.252/32 label 25",
            "withdraw 10.47.255.252/32 label 25", "eor compute-1"), controllerEvents);

        controller.sendRoutes(new ChannelMessage.RouteUpdate(VRF, 1, 1, List.of(route("10.47.255.251/32", 17)),
            List.of("10.47.255.250/32")));
        controller.sendEndOfRib();
        pipe.pump();
        assertEquals(List.of("up", "routes " + VRF + " 1 [10.47.255.250/32]", "eor"), nodeEvents);
    }

    @Test
    void unknownInstanceIsAnsweredWithAnErrorAndTheSessionStays()
    {
        final XmppPipe pipe = pipes.open(node, controller);
        final EmbeddedChannel n = pipe.first();
        final EmbeddedChannel c = pipe.second();
        pipe.pump();
        node.subscribe("unknown", 4);
        pipe.pump();
        assertTrue(c.isActive());
        assertTrue(n.isActive());
        assertEquals(List.of("up compute-1"), controllerEvents);
    }

    @Test
    void publishWithoutSubscriptionClosesTheSessionWithoutARoute()
    {
        final XmppPipe pipe = pipes.open(node, controller);
        final EmbeddedChannel n = pipe.first();
        final EmbeddedChannel c = pipe.second();
        pipe.pump();
        node.publish(VRF, route("10.47.255.252/32", 25), false);
        pipe.pump();
        assertFalse(c.isActive());
        assertEquals(List.of("up compute-1", "down compute-1"), controllerEvents);
    }

    @Test
    void hostileInputClosesTheSessionAndChangesNothing()
    {
        final EmbeddedChannel c = pipes.channel(controller);
        c.writeInbound(Unpooled.copiedBuffer(ContrailXmpp.streamHeader("evil", ContrailXmpp.CONTROL_JID, null) +
            "<iq type='set' id='1'><pubsub><subscribe node='x'><options><instance-id>1</instance-id></options>" +
            "</subscribe></pubsub></iq><!DOCTYPE x [<!ENTITY a 'aaaaaaaa'>]>", StandardCharsets.UTF_8));
        assertFalse(c.isActive());
        assertEquals(List.of("up evil", "subscribe x 1", "down evil"), controllerEvents);
    }

    @Test
    void keepalivesAreSentAndTheHoldTimerClosesASilentPeer()
    {
        final XmppPipe pipe = pipes.open(node, controller);
        final EmbeddedChannel n = pipe.first();
        final EmbeddedChannel c = pipe.second();
        pipe.pump();
        n.advanceTimeBy(31, TimeUnit.SECONDS);
        n.runPendingTasks();
        n.runScheduledPendingTasks();
        final ByteBuf keepalive = n.readOutbound();
        assertEquals(" ", keepalive.toString(StandardCharsets.UTF_8));
        keepalive.release();
        n.advanceTimeBy(60, TimeUnit.SECONDS);
        n.runScheduledPendingTasks();
        assertFalse(n.isActive(), "hold time of 90 s without a byte from the controller closes the session");
        assertEquals(List.of("up", "down"), nodeEvents);
    }
}
