package io.cxlkit.protocol.frame;

import static io.cxlkit.protocol.frame.FrameBytes.concat;
import static io.cxlkit.protocol.frame.FrameBytes.decode;
import static io.cxlkit.protocol.frame.FrameBytes.decodeBytewise;
import static io.cxlkit.protocol.frame.FrameBytes.header;
import static io.cxlkit.protocol.frame.FrameBytes.payload;
import static io.cxlkit.protocol.frame.FrameBytes.raw;
import static io.cxlkit.protocol.frame.FrameBytes.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.frame.FrameEvent.Close;
import io.cxlkit.protocol.frame.FrameEvent.Dropped;
import io.cxlkit.protocol.frame.FrameEvent.Frame;
import io.cxlkit.protocol.frame.FrameEvent.Oversized;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    /** EID 8: 256-byte payloads, EID 9: 1 KiB, EID 10: none at all; nothing else answers. */
    static final EndpointLimits LIMITS = EndpointLimits.of(Map.of(8, 256, 9, 1024, 10, 0));

    static FrameDecoder server() {
        return FrameDecoder.forRequests(LIMITS);
    }

    static Frame frameEvent(int eid, int tag, int opcode, byte[] payload) {
        return new Frame(eid, CciMessage.request(tag, Opcode.of(opcode), payload));
    }

    static final byte[] VALID = request(8, 1, FrameBytes.GET_FW_INFO, new byte[0]);
    static final Frame VALID_EVENT = frameEvent(8, 1, FrameBytes.GET_FW_INFO, new byte[0]);

    @Nested
    class Check1FrameLength {

        @ParameterizedTest
        @ValueSource(longs = {0, 1, 2, 9, 13})
        void belowFourteenCloses(long length) {
            FrameDecoder d = server();
            // The close comes as soon as the 4 length bytes are in.
            assertThat(decode(d, Arrays.copyOf(raw(length, 8, 8), 4)))
                    .containsExactly(new Close("frame length " + length + " below 14"));
            assertThat(d.isClosed()).isTrue();
            assertThat(d.isIdle()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(longs = {2_097_166L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL})
        void aboveTheLargestCciMessageCloses(long length) {
            assertThat(decode(server(), Arrays.copyOf(raw(length, 8, 8), 4)))
                    .containsExactly(new Close("frame length " + length + " above 2097165"));
        }

        @Test
        void fourteenIsTheSmallestFrame() {
            assertThat(decode(server(), VALID)).containsExactly(VALID_EVENT);
        }

        @Test
        void theLargestLengthPassesCheck1() {
            byte[] head = raw(2_097_165L, 8, 8, header(0, 1, FrameBytes.TRANSFER_FW, CciHeader.MAX_PAYLOAD_LENGTH));
            FrameDecoder d = server();
            List<FrameEvent> events = decode(d, head, new byte[CciHeader.MAX_PAYLOAD_LENGTH], VALID);
            assertThat(events).hasSize(2);
            assertThat(events.get(0)).isInstanceOf(Oversized.class);
            assertThat(events.get(1)).isEqualTo(VALID_EVENT);

            // A client accepts it whole.
            byte[] payload = payload(CciHeader.MAX_PAYLOAD_LENGTH);
            CciMessage msg = CciMessage.response(1, Opcode.of(0x0401), 0, payload);
            assertThat(decode(FrameDecoder.forResponses(), FrameEncoder.encode(8, msg)))
                    .containsExactly(new Frame(8, msg));
        }

        @Test
        void check1PrecedesCheck2() {
            // L = 9 to an EID without a device, of a foreign message type: Close, not Dropped.
            assertThat(decode(server(), raw(9, 77, 0x07, new byte[7])))
                    .containsExactly(new Close("frame length 9 below 14"));
            assertThat(decode(server(), raw(3_000_000, 77, 0x08, new byte[20])))
                    .containsExactly(new Close("frame length 3000000 above 2097165"));
        }
    }

    @Nested
    class Check2Address {

        @Test
        void unknownEidIsDroppedAndTheConnectionStaysOpen() {
            byte[] dropped = request(77, 2, FrameBytes.TRANSFER_FW, payload(40));
            FrameDecoder d = server();
            // Dropped as soon as EID and type are in.
            assertThat(decode(d, Arrays.copyOf(dropped, 6)))
                    .containsExactly(new Dropped(77, 8, 54, "no device at EID 77"));
            assertThat(d.isIdle()).isFalse();
            assertThat(d.bufferedBytes()).isZero();
            assertThat(decode(d, Arrays.copyOfRange(dropped, 6, dropped.length))).isEmpty();
            assertThat(d.isIdle()).isTrue();
            assertThat(decode(d, VALID)).containsExactly(VALID_EVENT);
        }

        @Test
        void otherMessageTypesAreDropped() {
            List<FrameEvent> events = decode(server(),
                    raw(14, 8, MctpMessageType.CXL_FM_API, header(0, 1, 0x5100, 0)),
                    raw(16, 8, 0x00, new byte[14]),
                    raw(20, 9, 0xFF, new byte[18]),
                    VALID);
            assertThat(events).containsExactly(
                    new Dropped(8, 7, 14, "message type 07h is not CXL CCI (08h)"),
                    new Dropped(8, 0, 16, "message type 00h is not CXL CCI (08h)"),
                    new Dropped(9, 0xFF, 20, "message type FFh is not CXL CCI (08h)"),
                    VALID_EVENT);
        }

        @Test
        void check2PrecedesCheck3() {
            // An unknown EID with a bad category, or a length disagreeing with L: Dropped, not Close.
            List<FrameEvent> events = decode(server(),
                    raw(14, 77, 8, header(1, 1, FrameBytes.GET_FW_INFO, 0)),
                    raw(14, 77, 8, header(0, 1, FrameBytes.GET_FW_INFO, 100)),
                    raw(14, 9, 7, header(5, 1, FrameBytes.GET_FW_INFO, 0)),
                    VALID);
            assertThat(events).hasSize(4);
            assertThat(events.subList(0, 3)).allMatch(e -> e instanceof Dropped);
            assertThat(events.get(3)).isEqualTo(VALID_EVENT);
        }

        @Test
        void aDroppedFramesBodyIsSkippedEvenIfItLooksLikeFrames() {
            byte[] inner = concat(VALID, VALID, VALID);
            byte[] dropped = raw(2 + inner.length, 200, 8, inner);
            assertThat(decode(server(), dropped, VALID)).containsExactly(
                    new Dropped(200, 8, 2 + inner.length, "no device at EID 200"), VALID_EVENT);
        }

        @Test
        void aLargeDroppedFrameIsSkippedByCounting() {
            int n = 2_000_000;
            byte[] head = raw(14L + n, 3, 8, header(0, 1, FrameBytes.TRANSFER_FW, n));
            FrameDecoder d = server();
            assertThat(decode(d, head)).hasSize(1).allMatch(e -> e instanceof Dropped);
            byte[] chunk = new byte[65536];
            long max = 0;
            for (int left = n; left > 0; left -= chunk.length) {
                d.feed(chunk, 0, Math.min(chunk.length, left));
                max = Math.max(max, d.bufferedBytes());
            }
            assertThat(max).isZero();
            assertThat(decode(d, VALID)).containsExactly(VALID_EVENT);
        }

        @Test
        void theLimitsAreAskedOncePerFrameWithTheEid() {
            List<Integer> asked = new ArrayList<>();
            FrameDecoder d = FrameDecoder.forRequests(eid -> {
                asked.add(eid);
                return 64;
            });
            decode(d, request(8, 1, 1, new byte[0]), request(200, 1, 1, payload(3)), request(0, 1, 1, payload(100)));
            assertThat(asked).containsExactly(8, 200, 0);
        }
    }

    @Nested
    class Check3Header {

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 7, 15})
        void aRequestMustHaveCategory0(int category) {
            FrameDecoder d = server();
            byte[] frame = raw(14, 8, 8, header(category, 1, FrameBytes.GET_FW_INFO, 0));
            // Nothing is decided until the 18th byte.
            assertThat(decode(d, Arrays.copyOf(frame, 17))).isEmpty();
            assertThat(decode(d, Arrays.copyOfRange(frame, 17, 18), VALID))
                    .containsExactly(new Close("CCI category " + category + " in a request (expected 0)"));
        }

        @Test
        void thePayloadLengthMustMatchL() {
            assertThat(decode(server(), raw(14 + 10, 8, 8, header(0, 1, FrameBytes.TRANSFER_FW, 9), payload(10))))
                    .containsExactly(new Close(
                            "payload length 9 in the CCI header disagrees with frame length 24 (10 payload bytes)"));
            assertThat(decode(server(), raw(14, 8, 8, header(0, 1, FrameBytes.TRANSFER_FW, 1))))
                    .containsExactly(new Close(
                            "payload length 1 in the CCI header disagrees with frame length 14 (0 payload bytes)"));
        }

        @Test
        void categoryIsCheckedBeforeLength() {
            assertThat(decode(server(), raw(14, 8, 8, header(1, 1, FrameBytes.TRANSFER_FW, 5))))
                    .singleElement().isEqualTo(new Close("CCI category 1 in a request (expected 0)"));
        }

        @Test
        void check3PrecedesCheck4() {
            // Bad category and an oversized payload: Close, not Oversized.
            assertThat(decode(server(), raw(14 + 1000, 8, 8, header(1, 1, FrameBytes.TRANSFER_FW, 1000))))
                    .singleElement().isInstanceOf(Close.class);
            // Length disagreeing with L, and above the limit either way.
            assertThat(decode(server(), raw(14 + 1000, 8, 8, header(0, 1, FrameBytes.TRANSFER_FW, 999))))
                    .singleElement().isInstanceOf(Close.class);
        }

        @Test
        void reservedBitsByte2AndRequestStatusFieldsAreIgnored() {
            byte[] frame = request(8, 4, FrameBytes.TRANSFER_FW, payload(3));
            frame[6] |= (byte) 0xF0;  // category byte, reserved bits 7:4
            frame[8] = (byte) 0x5A;   // byte 2, reserved
            frame[13] |= (byte) 0xE0; // BO bit and reserved bits 6:5
            frame[14] = 0x16;         // return code
            frame[17] = (byte) 0x99;  // vendor status
            List<FrameEvent> events = decode(server(), frame);
            CciHeader expected = new CciHeader(0, 4, Opcode.of(FrameBytes.TRANSFER_FW), 3, true, 0x16, 0x9900);
            assertThat(events).containsExactly(new Frame(8, new CciMessage(expected, payload(3))));
        }
    }

    @Nested
    class Check4PayloadLimit {

        @Test
        void aPayloadAtTheLimitIsAccepted() {
            assertThat(decode(server(), request(8, 1, FrameBytes.TRANSFER_FW, payload(256)),
                    request(10, 2, FrameBytes.GET_FW_INFO, new byte[0])))
                    .containsExactly(frameEvent(8, 1, FrameBytes.TRANSFER_FW, payload(256)),
                            frameEvent(10, 2, FrameBytes.GET_FW_INFO, new byte[0]));
        }

        @Test
        void oneByteAboveTheLimitIsOversized() {
            byte[] frame = request(8, 6, FrameBytes.TRANSFER_FW, payload(257));
            FrameDecoder d = server();
            // Decided as soon as the header is in, before any payload byte.
            assertThat(decode(d, Arrays.copyOf(frame, 18)))
                    .containsExactly(new Oversized(8, CciHeader.request(6, Opcode.of(FrameBytes.TRANSFER_FW), 257)));
            assertThat(d.bufferedBytes()).isZero();
            assertThat(d.isIdle()).isFalse();
            assertThat(decode(d, Arrays.copyOfRange(frame, 18, frame.length))).isEmpty();
            assertThat(d.isIdle()).isTrue();
        }

        @Test
        void anEndpointWithLimit0AcceptsOnlyEmptyPayloads() {
            assertThat(decode(server(), request(10, 1, 1, payload(1)))).singleElement().isInstanceOf(Oversized.class);
        }

        @Test
        void anOversizedPayloadSplitOverManyFeedsIsSkippedUnbufferedThenTheNextFrameDecodes() {
            byte[] big = request(9, 7, FrameBytes.TRANSFER_FW, payload(100_000));
            byte[] next = request(9, 8, FrameBytes.TRANSFER_FW, payload(1024));
            byte[] stream = concat(big, next);
            FrameDecoder d = server();
            List<FrameEvent> events = new ArrayList<>();
            long maxBuffered = 0;
            for (int off = 0; off < stream.length; off += 333) {
                d.feed(stream, off, Math.min(333, stream.length - off));
                events.addAll(d.drain());
                if (off + 333 < big.length) {
                    maxBuffered = Math.max(maxBuffered, d.bufferedBytes());
                }
            }
            assertThat(maxBuffered).isLessThanOrEqualTo(FrameFormat.HEAD_SIZE);
            assertThat(events).containsExactly(
                    new Oversized(9, CciHeader.request(7, Opcode.of(FrameBytes.TRANSFER_FW), 100_000)),
                    frameEvent(9, 8, FrameBytes.TRANSFER_FW, payload(1024)));
            assertThat(d.isIdle()).isTrue();
        }

        @Test
        void anAcceptedPayloadIsBufferedAtExactlyItsLength() {
            byte[] frame = request(9, 1, FrameBytes.TRANSFER_FW, payload(500));
            FrameDecoder d = server();
            d.feed(frame, 0, 17);
            assertThat(d.bufferedBytes()).isEqualTo(17);
            d.feed(frame, 17, 1);
            assertThat(d.bufferedBytes()).isEqualTo(18 + 500);
            d.feed(frame, 18, frame.length - 19);
            assertThat(d.next()).isEmpty();
            d.feed(frame, frame.length - 1, 1);
            assertThat(d.bufferedBytes()).isZero();
            assertThat(d.next()).contains(frameEvent(9, 1, FrameBytes.TRANSFER_FW, payload(500)));
        }

        @Test
        void limitsAboveThe21BitMaximumActAsIt() {
            FrameDecoder d = FrameDecoder.forRequests(eid -> Integer.MAX_VALUE);
            assertThat(decode(d, request(1, 1, 1, payload(5000)))).singleElement().isInstanceOf(Frame.class);
        }
    }

    @Nested
    class Close_ {

        @Test
        void afterCloseNothingMoreIsProduced() {
            FrameDecoder d = server();
            // Frames before the close are delivered, in order, then the close, then nothing.
            List<FrameEvent> events = decode(d, concat(VALID, request(77, 1, 1, new byte[0]), raw(5, 8, 8), VALID));
            assertThat(events).containsExactly(VALID_EVENT,
                    new Dropped(77, 8, 14, "no device at EID 77"), new Close("frame length 5 below 14"));
            ByteBuffer more = ByteBuffer.wrap(concat(VALID, VALID));
            d.feed(more);
            assertThat(more.hasRemaining()).isFalse();
            assertThat(d.next()).isEmpty();
            assertThat(d.drain()).isEmpty();
            assertThat(decodeBytewise(d, VALID)).isEmpty();
            assertThat(d.isClosed()).isTrue();
            assertThat(d.isIdle()).isFalse();
            assertThat(d.bufferedBytes()).isZero();
        }

        @Test
        void aCloseMidPayloadReleasesNothingPartial() {
            // The partial first frame never becomes an event when the stream ends; the decoder is not idle.
            FrameDecoder d = server();
            byte[] frame = request(9, 1, 1, payload(600));
            d.feed(frame, 0, 300);
            assertThat(d.drain()).isEmpty();
            assertThat(d.isIdle()).isFalse();
            assertThat(d.bufferedBytes()).isEqualTo(618);
        }
    }

    @Nested
    class ResponseDirection {

        @Test
        void category1IsAcceptedFromAnyEid() {
            CciMessage a = CciMessage.response(5, Opcode.of(0x0200), 0, payload(0x50));
            CciMessage b = CciMessage.response(6, Opcode.of(0x0201), 0x0001, new byte[0]);
            CciMessage c = CciMessage.response(7, Opcode.of(0x0201), 0x0016, new byte[0]);
            assertThat(decode(FrameDecoder.forResponses(),
                    FrameEncoder.encode(8, a), FrameEncoder.encode(255, b), FrameEncoder.encode(0, c)))
                    .containsExactly(new Frame(8, a), new Frame(255, b), new Frame(0, c));
        }

        @Test
        void category0Closes() {
            FrameDecoder d = FrameDecoder.forResponses();
            assertThat(decode(d, VALID)).containsExactly(new Close("CCI category 0 in a response (expected 1)"));
            assertThat(d.direction()).isEqualTo(Direction.RESPONSE);
        }

        @Test
        void aClientStillDropsOtherMessageTypes() {
            byte[] fm = raw(14, 8, 7, header(1, 1, 1, 0));
            CciMessage ok = CciMessage.response(1, Opcode.of(1), 0, new byte[0]);
            assertThat(decode(FrameDecoder.forResponses(), fm, FrameEncoder.encode(8, ok)))
                    .containsExactly(new Dropped(8, 7, 14, "message type 07h is not CXL CCI (08h)"), new Frame(8, ok));
        }
    }

    @Nested
    class Api {

        @Test
        void eachCheckFiresOnItsByte() {
            // One byte at a time: check 1 on byte 4, check 2 on byte 6, checks 3/4 on byte 18.
            record Case(byte[] stream, int decidingByte) {
            }
            List<Case> cases = List.of(
                    new Case(raw(3, 8, 8, new byte[20]), 4),
                    new Case(request(99, 1, 1, payload(30)), 6),
                    new Case(raw(14, 8, 8, header(1, 1, 1, 0)), 18),
                    new Case(request(8, 1, 1, payload(300)), 18),
                    new Case(request(8, 1, 1, new byte[0]), 18),
                    new Case(request(8, 1, 1, payload(10)), 28));
            for (Case c : cases) {
                FrameDecoder d = server();
                int firstEventAt = -1;
                for (int i = 0; i < c.stream().length && firstEventAt < 0; i++) {
                    d.feed(c.stream(), i, 1);
                    if (d.next().isPresent()) {
                        firstEventAt = i + 1;
                    }
                }
                assertThat(firstEventAt).as("event byte of %s", Arrays.toString(c.stream()))
                        .isEqualTo(c.decidingByte());
            }
        }

        @Test
        void idleOnlyBetweenFrames() {
            FrameDecoder d = server();
            assertThat(d.isIdle()).isTrue();
            d.feed(VALID, 0, 1);
            assertThat(d.isIdle()).isFalse();
            d.feed(VALID, 1, VALID.length - 1);
            assertThat(d.isIdle()).isTrue();
            assertThat(d.isClosed()).isFalse();
        }

        @Test
        void progressOfAPartialFrameCountsEveryByteOfIt() {
            // A valid frame, a dropped one (unknown EID) and an oversized one, one byte at a time: the decoder
            // tells how much of the current frame arrived, and its size once the length field is in.
            for (byte[] frame : List.of(request(9, 1, 1, payload(50)), request(99, 1, 1, payload(30)),
                    request(8, 1, 1, payload(300)))) {
                FrameDecoder d = server();
                d.feed(VALID, 0, VALID.length);
                for (int i = 0; i < frame.length; i++) {
                    assertThat(d.frameBytesReceived()).as("received before byte %d", i).isEqualTo(i);
                    assertThat(d.frameSize()).as("size before byte %d", i).isEqualTo(i < 4 ? -1 : frame.length);
                    d.feed(frame, i, 1);
                }
                assertThat(d.isIdle()).isTrue();
                assertThat(d.frameBytesReceived()).isZero();
                assertThat(d.frameSize()).isEqualTo(-1);
            }
            FrameDecoder closed = server();
            closed.feed(raw(5, 8, 8), 0, 6);
            assertThat(closed.frameBytesReceived()).isZero();
            assertThat(closed.frameSize()).isEqualTo(-1);
        }

        @Test
        void nextAndDrainTakeEventsInOrder() {
            FrameDecoder d = server();
            d.feed(ByteBuffer.wrap(concat(VALID, request(9, 2, 1, payload(2)), VALID)));
            assertThat(d.next()).contains(VALID_EVENT);
            assertThat(d.drain()).containsExactly(frameEvent(9, 2, 1, payload(2)), VALID_EVENT);
            assertThat(d.next()).isEqualTo(Optional.empty());
        }

        @Test
        void feedConsumesExactlyTheBuffersRemainingBytes() {
            byte[] backing = concat(new byte[] {1, 2, 3}, VALID, new byte[] {4, 5});
            ByteBuffer direct = ByteBuffer.allocateDirect(backing.length);
            direct.put(backing).flip();
            direct.position(3).limit(3 + VALID.length);
            FrameDecoder d = server();
            d.feed(direct);
            assertThat(direct.position()).isEqualTo(3 + VALID.length);
            assertThat(d.drain()).containsExactly(VALID_EVENT);
            d.feed(ByteBuffer.allocate(0));
            assertThat(d.drain()).isEmpty();
        }

        @Test
        void nullArgumentsAreProgrammingErrors() {
            assertThatThrownBy(() -> server().feed((ByteBuffer) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new FrameDecoder(null, LIMITS)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new FrameDecoder(Direction.REQUEST, null))
                    .isInstanceOf(NullPointerException.class);
        }

        @Test
        void endpointLimitsHelpers() {
            assertThat(LIMITS.maxPayload(8)).isEqualTo(256);
            assertThat(LIMITS.maxPayload(11)).isEqualTo(EndpointLimits.NO_ENDPOINT);
            assertThat(EndpointLimits.acceptAll().maxPayload(0)).isEqualTo(CciHeader.MAX_PAYLOAD_LENGTH);
            assertThat(Direction.REQUEST.category()).isZero();
            assertThat(Direction.RESPONSE.category()).isOne();
        }
    }
}
