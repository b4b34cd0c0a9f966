package io.vrouter.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.vrouter.core.request.Errno;
import io.vrouter.core.request.InterfaceRequest;
import io.vrouter.core.request.MplsRequest;
import io.vrouter.core.request.Parsed;
import io.vrouter.core.request.RequestException;
import io.vrouter.core.request.Response;
import io.vrouter.core.request.SandeshObject;

class ControlCodecTest
{
    private static final HexFormat HEX = HexFormat.of();

    static SandeshObject sample()
    {
        return new SandeshObject("vr_x").put("a", 1L).put("b", new byte[] {1, 2}).put("c", new long[] {3})
            .put("d", "hi");
    }

    private static ByteBuffer body(final byte[] frame)
    {
        return ByteBuffer.wrap(frame, ControlCodec.LENGTH_BYTES, frame.length - ControlCodec.LENGTH_BYTES).slice();
    }

    @Test
    void shouldEncodeRequestToGoldenBytes()
    {
        final String golden = "0000004a" + "5652" + "01" + "01" + "0000" + "0000000000000007" + "00000001"
            + "0004" + "76725f78" + "0004"
            + "0001" + "61" + "01" + "0000000000000001"
            + "0001" + "62" + "02" + "00000002" + "0102"
            + "0001" + "63" + "03" + "00000001" + "0000000000000003"
            + "0001" + "64" + "04" + "00000002" + "6869";
        assertEquals(golden, HEX.formatHex(ControlCodec.encodeRequest(7, List.of(sample()))));
    }

    @Test
    void shouldEncodeErrorAndResponseToGoldenBytes()
    {
        assertEquals("00000019" + "5652" + "01" + "02" + "0002" + "0000000000000007" + "ffffffea" + "00000003"
            + "626164", HEX.formatHex(ControlCodec.encodeError(7, -22, "bad")));
        final List<byte[]> frames = ControlCodec.encodeResponses(9,
            List.of(new ControlCodec.Answer(-2, "no", List.of()),
                new ControlCodec.Answer(1, "", List.of(new SandeshObject("t").put("f", 5L)))),
            1 << 20);
        assertEquals(1, frames.size());
        assertEquals("00000045" + "5652" + "01" + "02" + "0000" + "0000000000000009" + "00000002"
            + "00000000" + "fffffffe" + "00000002" + "6e6f" + "00000000"
            + "00000001" + "00000001" + "00000000" + "00000001"
            + "0001" + "74" + "0001" + "0001" + "66" + "01" + "0000000000000005",
            HEX.formatHex(frames.get(0)));
    }

    @Test
    void shouldReadTypedRequestsAndAnswersThroughTheObjects() throws DecodeException, RequestException
    {
        final InterfaceRequest vif = InterfaceRequest.builder().idx(3).type(3).name("tap3").mac(0x020000000003L)
            .build();
        final List<SandeshObject> objects = new ArrayList<>(ControlCodec.objects(List.of(vif, MplsRequest.get(7))));
        objects.add(1, sample());
        final List<Parsed> parsed = ControlCodec.decodeRequest(body(ControlCodec.encodeRequest(1, objects)))
            .requests();
        assertEquals(3, parsed.size());
        assertEquals(vif, parsed.get(0).record());
        assertEquals(Errno.EOPNOTSUPP, parsed.get(1).refusal().code(), "an unknown struct, refused in its place");
        assertEquals(MplsRequest.get(7), parsed.get(2).record());

        final Response answer = Response.of(1, List.of(vif));
        final byte[] frame = ControlCodec.encodeResponses(2, List.of(ControlCodec.answer(answer)), 1 << 20).get(0);
        final ControlCodec.Entry entry = ControlCodec.decodeResponse(body(frame)).entries().get(0);
        assertEquals(answer, entry.answer().toResponse());
        final ControlCodec.Answer foreign = new ControlCodec.Answer(0, "", List.of(sample()));
        assertEquals(Errno.EOPNOTSUPP, assertThrows(RequestException.class, foreign::toResponse).code());
    }

    @Test
    void shouldRoundTripRequestsAndResponses() throws DecodeException
    {
        final List<SandeshObject> objects = List.of(sample(), new SandeshObject("vr_route_req").put("rtr_vrf_id", 3L)
            .put("rtr_prefix", new byte[] {10, 0, 0, 1}).put("s", "ünïcode"), new SandeshObject("empty"));
        final byte[] frame = ControlCodec.encodeRequest(-5, objects);
        final ControlCodec.RequestFrame decoded = ControlCodec.decodeRequest(body(frame));
        assertEquals(-5, decoded.id());
        assertEquals(objects, decoded.objects());

        final List<SandeshObject> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            many.add(new SandeshObject("vr_route_req").put("rtr_nh_id", (long)i).put("rtr_prefix", new byte[4]));
        }
        final List<byte[]> frames = ControlCodec.encodeResponses(11,
            List.of(new ControlCodec.Answer(0, "", List.of()), new ControlCodec.Answer(1000, "", many),
                new ControlCodec.Answer(-22, "bad", List.of())), 4096);
        assertTrue(frames.size() > 5, "chunked: " + frames.size());
        final List<SandeshObject> got = new ArrayList<>();
        int lastCode = 1;
        for (int i = 0; i < frames.size(); i++)
        {
            final ControlCodec.ResponseFrame f = ControlCodec.decodeResponse(body(frames.get(i)));
            assertEquals(i < frames.size() - 1, f.more());
            assertEquals(11, f.id());
            for (final ControlCodec.Entry e : f.entries())
            {
                if (e.index() == 1)
                {
                    assertEquals(1000, e.answer().code());
                    got.addAll(e.answer().objects());
                }
                if (e.index() == 2)
                {
                    lastCode = e.answer().code();
                }
            }
        }
        assertEquals(many, got);
        assertEquals(-22, lastCode);
    }

    @Test
    void shouldRefuseBadHeaders()
    {
        final byte[] frame = ControlCodec.encodeRequest(1, List.of(sample()));
        final byte[] badMagic = frame.clone();
        badMagic[4] = 0x00;
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(body(badMagic)));
        final byte[] badVersion = frame.clone();
        badVersion[6] = 9;
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(body(badVersion)));
        final byte[] badType = frame.clone();
        badType[7] = 2;
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(body(badType)));
        final byte[] badFlags = frame.clone();
        badFlags[9] = 1;
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(body(badFlags)));
        final byte[] badTag = frame.clone();
        badTag[4 + 14 + 4 + 6 + 2 + 3] = 7;
        final DecodeException e = assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(body(badTag)));
        assertTrue(e.getMessage().contains("vr_x.a: unknown field kind tag 7"), e.getMessage());
        final byte[] trailing = new byte[frame.length + 1];
        System.arraycopy(frame, 0, trailing, 0, frame.length);
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(
            ByteBuffer.wrap(trailing, 4, trailing.length - 4).slice()));
        final ByteBuffer hugeLength = ByteBuffer.allocate(4).putInt(0, ControlCodec.MAX_FRAME + 1);
        assertThrows(DecodeException.class, () -> ControlCodec.frameLength(hugeLength));
        final ByteBuffer shortLength = ByteBuffer.allocate(4).putInt(0, 3);
        assertThrows(DecodeException.class, () -> ControlCodec.frameLength(shortLength));
    }

    @Test
    void shouldRefuseDuplicateFieldsAndBadUtf8()
    {
        final byte[] dup = HEX.parseHex("5652" + "01" + "01" + "0000" + "0000000000000001" + "00000001"
            + "0001" + "74" + "0002" + "0001" + "61" + "01" + "0000000000000001" + "0001" + "61" + "01"
            + "0000000000000002");
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(ByteBuffer.wrap(dup)));
        final byte[] utf8 = HEX.parseHex("5652" + "01" + "01" + "0000" + "0000000000000001" + "00000001"
            + "0001" + "ff" + "0000");
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(ByteBuffer.wrap(utf8)));
        final byte[] hugeCount = HEX.parseHex("5652" + "01" + "01" + "0000" + "0000000000000001" + "7fffffff");
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(ByteBuffer.wrap(hugeCount)));
        final byte[] hugeList = HEX.parseHex("5652" + "01" + "01" + "0000" + "0000000000000001" + "00000001"
            + "0001" + "74" + "0001" + "0001" + "61" + "03" + "10000000");
        assertThrows(DecodeException.class, () -> ControlCodec.decodeRequest(ByteBuffer.wrap(hugeList)));
    }

    @Test
    void shouldOnlyEverThrowDecodeExceptionOnTruncatedOrMangledFrames()
    {
        final Random random = new Random(42);
        final List<SandeshObject> objects = List.of(sample(), sample().put("e", new long[] {1, 2, 3}),
            new SandeshObject("vr_interface_req").put("vifr_name", "tap0").put("vifr_mac", new byte[6]));
        final byte[] request = ControlCodec.encodeRequest(3, objects);
        final byte[] response = ControlCodec.encodeResponses(3, List.of(new ControlCodec.Answer(3, "", objects)),
            1 << 20).get(0);
        int refused = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final boolean isRequest = (round & 1) == 0;
            final byte[] src = isRequest ? request : response;
            byte[] b;
            switch (round % 4)
            {
                case 0:
                case 1:
                    b = java.util.Arrays.copyOfRange(src, 4, 4 + random.nextInt(src.length - 4));
                    break;
                case 2:
                    b = java.util.Arrays.copyOfRange(src, 4, src.length);
                    for (int k = 0; k < 1 + random.nextInt(4); k++)
                    {
                        b[random.nextInt(b.length)] = (byte)random.nextInt(256);
                    }
                    break;
                default:
                    b = new byte[random.nextInt(200)];
                    random.nextBytes(b);
                    if (b.length > 8 && random.nextBoolean())
                    {
                        System.arraycopy(src, 4, b, 0, 8);
                    }
                    break;
            }
            try
            {
                if (isRequest)
                {
                    ControlCodec.decodeRequest(ByteBuffer.wrap(b));
                }
                else
                {
                    ControlCodec.decodeResponse(ByteBuffer.wrap(b));
                }
            }
            catch (final DecodeException e)
            {
                refused++;
            }
            catch (final RuntimeException | Error e)
            {
                fail("round " + round + " threw " + e + " on " + HEX.formatHex(b));
            }
        }
        assertTrue(refused > 10_000, "most mangled frames are refused: " + refused);
    }

    @Test
    void shouldRefuseToEncodeOversizedFrames()
    {
        final List<SandeshObject> big = List.of(new SandeshObject("t").put("b", new byte[ControlCodec.MAX_FRAME]));
        assertThrows(IllegalArgumentException.class, () -> ControlCodec.encodeRequest(1, big));
    }
}
