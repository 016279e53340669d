package io.cxlkit.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.frame.FrameEvent.Close;
import io.cxlkit.protocol.frame.FrameEvent.Dropped;
import io.cxlkit.protocol.frame.FrameEvent.Frame;
import io.cxlkit.protocol.frame.FrameEvent.Oversized;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FramePropertiesTest {

    /** Known EIDs and their payload limits; anything else has no device. */
    static final Map<Integer, Integer> LIMIT_MAP = Map.of(8, 256, 9, 1024, 10, 0, 11, 4096);
    static final EndpointLimits LIMITS = EndpointLimits.of(LIMIT_MAP);
    static final int MAX_LIMIT = 4096;
    static final long MEMORY_BOUND = FrameFormat.HEAD_SIZE + MAX_LIMIT;

    // ---- (a) valid streams cut anywhere -------------------------------------------------------------

    @Property(tries = 150)
    void aValidStreamCutAnywhereYieldsTheSameFrames(@ForAll("validFrames") @Size(max = 12) List<Frame> frames,
                                                   @ForAll @IntRange(min = 1, max = 5000) int maxChunk,
                                                   @ForAll long seed) {
        byte[] stream = encodeAll(frames);
        FrameDecoder d = FrameDecoder.forRequests(LIMITS);
        List<FrameEvent> events = feedInChunks(d, stream, maxChunk, new Random(seed));
        assertThat(events).containsExactlyElementsOf(frames);
        assertThat(d.isIdle()).isTrue();
    }

    @Property(tries = 30)
    void aValidStreamFedOneByteAtATimeYieldsTheSameFrames(@ForAll("validFrames") @Size(max = 6) List<Frame> frames) {
        byte[] stream = encodeAll(frames);
        FrameDecoder d = FrameDecoder.forRequests(LIMITS);
        List<FrameEvent> events = new ArrayList<>();
        int sinceBoundary = 0;
        for (int i = 0; i < stream.length; i++) {
            assertThat(d.isIdle()).isEqualTo(isFrameBoundary(frames, i));
            sinceBoundary = d.isIdle() ? 0 : sinceBoundary;
            assertThat(d.frameBytesReceived()).isEqualTo(sinceBoundary);
            d.feed(stream, i, 1);
            sinceBoundary++;
            assertThat(d.bufferedBytes()).isLessThanOrEqualTo(MEMORY_BOUND);
            events.addAll(d.drain());
        }
        assertThat(events).containsExactlyElementsOf(frames);
        assertThat(d.isIdle()).isTrue();
    }

    // ---- (b) arbitrary input: only typed events, bounded memory, split-invariant, as the reference says ----

    @Property(tries = 400)
    void messyStreamsYieldOnlyTypedEventsAsTheReferenceSays(@ForAll("messyStreams") byte[] stream,
                                                          @ForAll @IntRange(min = 1, max = 3000) int maxChunk,
                                                          @ForAll long seed) {
        checkAgainstReference(stream, maxChunk, seed, Direction.REQUEST, LIMITS);
    }

    @Property(tries = 200)
    void randomBytesYieldOnlyTypedEvents(@ForAll @Size(max = 400) byte[] stream,
                                         @ForAll @IntRange(min = 1, max = 50) int maxChunk,
                                         @ForAll long seed) {
        checkAgainstReference(stream, maxChunk, seed, Direction.REQUEST, LIMITS);
        checkAgainstReference(stream, maxChunk, seed, Direction.RESPONSE, EndpointLimits.acceptAll());
    }

    @Property(tries = 150)
    void messyStreamsInTheResponseDirection(@ForAll("messyStreams") byte[] stream,
                                            @ForAll @IntRange(min = 1, max = 3000) int maxChunk,
                                            @ForAll long seed) {
        checkAgainstReference(stream, maxChunk, seed, Direction.RESPONSE, LIMITS);
    }

    private static void checkAgainstReference(byte[] stream, int maxChunk, long seed, Direction direction,
                                              EndpointLimits limits) {
        FrameDecoder whole = new FrameDecoder(direction, limits);
        whole.feed(ByteBuffer.wrap(stream));
        List<FrameEvent> wholeEvents = whole.drain();

        FrameDecoder chunked = new FrameDecoder(direction, limits);
        List<FrameEvent> chunkedEvents = feedInChunks(chunked, stream, maxChunk, new Random(seed));

        Reference ref = reference(stream, direction, limits);
        assertThat(wholeEvents).isEqualTo(chunkedEvents);
        assertThat(normalize(wholeEvents)).isEqualTo(normalize(ref.events()));
        assertThat(whole.isIdle()).isEqualTo(ref.idle());
        assertThat(chunked.isIdle()).isEqualTo(ref.idle());
        assertThat(whole.isClosed()).isEqualTo(ref.closed());

        for (int i = 0; i < wholeEvents.size(); i++) {
            FrameEvent e = wholeEvents.get(i);
            if (e instanceof Close) {
                assertThat(i).as("Close is the last event").isEqualTo(wholeEvents.size() - 1);
            } else if (e instanceof Frame f) {
                assertThat(f.message().header().category()).isEqualTo(direction.category());
                assertThat(f.message().payload().length).isLessThanOrEqualTo(limits.maxPayload(f.eid()));
            } else if (e instanceof Oversized o) {
                assertThat(o.header().payloadLength()).isGreaterThan(limits.maxPayload(o.eid()));
            }
        }
    }

    // ---- (c) round trip -----------------------------------------------------------------------------

    @Property(tries = 300)
    void encodeThenDecodeRoundTrips(@ForAll @IntRange(min = 0, max = 255) int eid,
                                    @ForAll("messages") CciMessage message) {
        byte[] frame = FrameEncoder.encode(eid, message);
        assertThat(frame).hasSize(FrameEncoder.frameSize(message));
        assertThat(ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0))
                .isEqualTo(frame.length - 4);
        Direction direction = message.header().category() == 0 ? Direction.REQUEST : Direction.RESPONSE;
        FrameDecoder d = new FrameDecoder(direction, EndpointLimits.acceptAll());
        d.feed(ByteBuffer.wrap(frame));
        assertThat(d.drain()).containsExactly(new Frame(eid, message));
        assertThat(d.isIdle()).isTrue();
    }

    // ---- generators ---------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Frame>> validFrames() {
        Arbitrary<Frame> frame = Arbitraries.of(8, 9, 10, 11).flatMap(eid ->
                Combinators.combine(
                        Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 0xFFFF),
                        payloads(LIMIT_MAP.get(eid))
                ).as((tag, opcode, payload) -> new Frame(eid, CciMessage.request(tag, Opcode.of(opcode), payload))));
        return frame.list();
    }

    @Provide
    Arbitrary<CciMessage> messages() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 0xFFFF),
                payloads(3000)
        ).as((category, tag, opcode, bo, rc, vendor, payload) -> new CciMessage(
                new CciHeader(category, tag, Opcode.of(opcode), payload.length, bo, rc, vendor), payload));
    }

    /**
     * Concatenated pieces (valid frames to known and unknown EIDs, frames with odd lengths, types, categories
     * or header lengths, junk), then a few random mutations (flip, insert, delete, truncate).
     */
    @Provide
    Arbitrary<byte[]> messyStreams() {
        Arbitrary<byte[]> validish = Combinators.combine(
                Arbitraries.of(8, 9, 10, 11, 12, 77, 255),
                Arbitraries.integers().between(0, 1),
                payloads(5000)
        ).as((eid, category, payload) -> FrameBytes.frame(eid, category, 1, 0x0201, payload));
        Arbitrary<byte[]> odd = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 20),
                        Arbitraries.longs().between(2_097_160L, 2_097_170L), Arbitraries.longs().between(0, 0xFFFF_FFFFL)),
                Arbitraries.of(8, 9, 10, 11, 77),
                Arbitraries.of(8, 8, 8, 7, 0, 0xFF),
                Arbitraries.of(0, 0, 0, 1, 2, 0xF0, 0xF1),
                Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(0, CciHeader.MAX_PAYLOAD_LENGTH)),
                payloads(5000)
        ).as((length, eid, type, byte0, headerLength, payload) -> {
            long l = length < 0 ? 14L + payload.length : length;
            byte[] header = FrameBytes.header(0, 3, 0x0201, headerLength < 0 ? payload.length : headerLength);
            header[0] = (byte) (int) byte0;
            return FrameBytes.raw(l, eid, type, header, payload);
        });
        Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
                Tuple.of(6, validish), Tuple.of(3, odd), Tuple.of(1, junk));
        return Combinators.combine(
                piece.list().ofMaxSize(8),
                Arbitraries.integers().between(0, 4),
                Arbitraries.longs()
        ).as((pieces, mutations, seed) -> mutate(FrameBytes.concat(pieces.toArray(new byte[0][])), mutations,
                new Random(seed)));
    }

    private static Arbitrary<byte[]> payloads(int maxSize) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(Math.min(maxSize, 64))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize)),
                Tuple.of(1, Arbitraries.just(new byte[maxSize])));
    }

    private static byte[] mutate(byte[] stream, int mutations, Random random) {
        byte[] s = stream;
        for (int m = 0; m < mutations && s.length > 0; m++) {
            int at = random.nextInt(s.length);
            switch (random.nextInt(4)) {
                case 0 -> {
                    s = s.clone();
                    s[at] ^= (byte) (1 << random.nextInt(8));
                }
                case 1 -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(s, 0, at);
                    out.write(random.nextInt(256));
                    out.write(s, at, s.length - at);
                    s = out.toByteArray();
                }
                case 2 -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(s, 0, at);
                    out.write(s, at + 1, s.length - at - 1);
                    s = out.toByteArray();
                }
                default -> s = java.util.Arrays.copyOf(s, at);
            }
        }
        return s;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static byte[] encodeAll(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(FrameEncoder.encode(f.eid(), f.message()));
        }
        return out.toByteArray();
    }

    private static boolean isFrameBoundary(List<Frame> frames, int offset) {
        int at = 0;
        for (Frame f : frames) {
            if (at == offset) {
                return true;
            }
            at += FrameEncoder.frameSize(f.message());
        }
        return at == offset;
    }

    /** Feeds chunks of 1..maxChunk bytes, checking the memory bound after each, and returns all events. */
    private static List<FrameEvent> feedInChunks(FrameDecoder d, byte[] stream, int maxChunk, Random random) {
        List<FrameEvent> events = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int n = Math.min(stream.length - at, 1 + random.nextInt(maxChunk));
            ByteBuffer b = ByteBuffer.wrap(stream, at, n);
            d.feed(b);
            assertThat(b.hasRemaining()).isFalse();
            assertThat(d.bufferedBytes()).isBetween(0L, MEMORY_BOUND);
            at += n;
            events.addAll(d.drain());
        }
        return events;
    }

    /** Reasons are free text: compare everything else. */
    private static List<FrameEvent> normalize(List<FrameEvent> events) {
        List<FrameEvent> out = new ArrayList<>();
        for (FrameEvent e : events) {
            if (e instanceof Close) {
                out.add(new Close(""));
            } else if (e instanceof Dropped dr) {
                out.add(new Dropped(dr.eid(), dr.messageType(), dr.length(), ""));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    record Reference(List<FrameEvent> events, boolean idle, boolean closed) {
    }

    /** wire.md §1 written the obvious way over the whole stream, as an oracle for the incremental decoder. */
    static Reference reference(byte[] s, Direction direction, EndpointLimits limits) {
        List<FrameEvent> events = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(s).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (true) {
            if (pos == s.length) {
                return new Reference(events, true, false);
            }
            if (s.length - pos < 4) {
                return new Reference(events, false, false);
            }
            long length = b.getInt(pos) & 0xFFFF_FFFFL;
            if (length < 14 || length > 2 + 12 + (1 << 21) - 1) {
                events.add(new Close(""));
                return new Reference(events, false, true);
            }
            if (s.length - pos < 6) {
                return new Reference(events, false, false);
            }
            int eid = s[pos + 4] & 0xFF;
            int type = s[pos + 5] & 0xFF;
            long end = pos + 4 + length;
            int limit = type == 8 ? limits.maxPayload(eid) : -1;
            if (limit < 0) {
                events.add(new Dropped(eid, type, length, ""));
            } else {
                if (s.length - pos < 18) {
                    return new Reference(events, false, false);
                }
                int category = s[pos + 6] & 0x0F;
                int payloadLength = (b.getShort(pos + 11) & 0xFFFF) | (s[pos + 13] & 0x1F) << 16;
                if (category != direction.category() || payloadLength != length - 14) {
                    events.add(new Close(""));
                    return new Reference(events, false, true);
                }
                CciHeader header = CciHeader.decode(ByteBuffer.wrap(s, pos + 6, 12));
                if (payloadLength > limit) {
                    events.add(new Oversized(eid, header));
                } else if (end <= s.length) {
                    byte[] payload = java.util.Arrays.copyOfRange(s, pos + 18, (int) end);
                    events.add(new Frame(eid, new CciMessage(header, payload)));
                }
            }
            if (end > s.length) {
                return new Reference(events, false, false);
            }
            pos = (int) end;
        }
    }
}
