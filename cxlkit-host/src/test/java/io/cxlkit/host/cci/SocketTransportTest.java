package io.cxlkit.host.cci;

import static io.cxlkit.host.cci.FakeEndpoint.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.frame.FrameEncoder;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCTP transport against a fake socket endpoint (wire.md §1). */
class SocketTransportTest {

    private static final Opcode BG_STATUS = CommandId.BACKGROUND_OPERATION_STATUS.opcode();
    private static final Opcode TRANSFER_FW = CommandId.TRANSFER_FW.opcode();

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private FakeEndpoint endpoint(FakeEndpoint.Responder r) throws IOException {
        FakeEndpoint e = FakeEndpoint.tcp(r);
        toClose.add(e);
        return e;
    }

    private SocketTransport connect(FakeEndpoint e) throws IOException {
        SocketTransport t = SocketTransport.connect(e.address(), 8);
        toClose.add(t);
        return t;
    }

    private static BackgroundOperationStatus bg(boolean running, int percent, Opcode op, int rc) {
        return new BackgroundOperationStatus(running, percent, op, rc, 0);
    }

    private static byte[] transferPart() {
        return TransferFwRequest.initiate(0, ByteBuffer.allocate(256)).encode();
    }

    // ---- requests and answers ----

    @Test
    void aRequestGoesOutAsOneFrameAndItsAnswerComesBack() throws Exception {
        FwInfo info = RecordingTransport.fwInfoFor(3, 2);
        FakeEndpoint e = endpoint(r -> reply(r, 0, info.encode()));
        CciClient client = new CciClient(connect(e));

        assertThat(client.getFwInfo()).isEqualTo(info);

        FakeEndpoint.Request req = e.requests().get(0);
        assertThat(req.eid()).isEqualTo(8);
        assertThat(req.message().header().isRequest()).isTrue();
        assertThat(req.message().opcode()).isEqualTo(CommandId.GET_FW_INFO.opcode());
        assertThat(req.message().tag()).isZero();
        assertThat(req.message().payload()).isEmpty();
        assertThat(client.transport().describe()).isEqualTo(e.address() + " EID 8");
    }

    @Test
    void theRequestPayloadArrivesIntact() throws Exception {
        FakeEndpoint e = endpoint(r -> reply(r, 0, new byte[0]));
        SocketTransport t = connect(e);
        byte[] part = TransferFwRequest.initiate(0, ByteBuffer.wrap(new byte[896])).encode();
        new Random(1).nextBytes(part);

        CommandResponse r = t.send(TRANSFER_FW, part);

        assertThat(r.success()).isTrue();
        assertThat(r.backgroundStarted()).isFalse();
        assertThat(e.requests().get(0).message().payload()).isEqualTo(part);
    }

    @Test
    void tagsCountUpPerRequestAndWrapAt256() throws Exception {
        FakeEndpoint e = endpoint(r -> reply(r, 0, new Timestamp(r.message().tag()).encode()));
        CciClient client = new CciClient(connect(e));

        for (int i = 0; i < 300; i++) {
            assertThat(client.getTimestamp()).isEqualTo(i % 256);
        }

        assertThat(e.requests()).extracting(r -> r.message().tag())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 300).map(i -> i % 256).boxed().toList());
    }

    @Test
    void aLateAnswerWithAnotherTagIsSkippedAndTheMatchingOneTaken() throws Exception {
        FakeEndpoint e = endpoint(r -> {
            int tag = r.message().tag();
            CciMessage stale = CciMessage.response((tag + 255) & 0xFF, r.message().opcode(), 0x0004, new byte[0]);
            List<byte[]> out = new ArrayList<>();
            out.add(FrameEncoder.encode(8, stale));
            out.addAll(reply(r, 0, new Timestamp(1234).encode()));
            return out;
        });
        CciClient client = new CciClient(connect(e));

        assertThat(client.getTimestamp()).isEqualTo(1234);
        assertThat(client.getTimestamp()).isEqualTo(1234);
    }

    @Test
    void anAnswerWithTheRightTagButAnotherOpcodeIsAnError() throws Exception {
        FakeEndpoint e = endpoint(r -> List.of(FrameEncoder.encode(8,
                CciMessage.response(r.message().tag(), CommandId.GET_TIMESTAMP.opcode(), 0, new byte[8]))));
        SocketTransport t = connect(e);

        assertThatThrownBy(() -> t.send(CommandId.GET_FW_INFO.opcode(), new byte[0]))
                .isInstanceOf(IOException.class).isNotInstanceOf(CciTimeoutException.class)
                .hasMessageContaining("expected tag 0 0200h");
    }

    @Test
    void aLargeAnswerArrivingInPiecesIsReassembled() throws Exception {
        byte[] log = new byte[300_000];
        new Random(3).nextBytes(log);
        FakeEndpoint e = endpoint(r -> reply(r, 0, log)).writeSlice(7_000);
        CciClient client = new CciClient(connect(e));

        assertThat(client.getLog(UUID.randomUUID(), 0, log.length)).isEqualTo(log);
    }

    @Test
    void aRefusedCommandCarriesItsReturnCode() throws Exception {
        FakeEndpoint e = endpoint(r -> reply(r, 0x0016, new byte[0]));
        CciClient client = new CciClient(connect(e));

        assertThatThrownBy(client::getFwInfo).isInstanceOfSatisfying(CciCommandException.class, ex -> {
            assertThat(ex.returnCode()).isEqualTo(ReturnCode.INVALID_PAYLOAD_LENGTH);
            assertThat(ex.getMessage()).isEqualTo("Get FW Info: Invalid Payload Length, 0016h");
        });
    }

    @Test
    void worksOverAUnixDomainSocket() throws Exception {
        FakeEndpoint e = FakeEndpoint.unix(dir.resolve("cci.sock"), r -> reply(r, 0, new Timestamp(77).encode()));
        toClose.add(e);
        assertThat(e.address().text()).startsWith("unix:");

        try (SocketTransport t = SocketTransport.connect(e.address(), 9)) {
            assertThat(new CciClient(t).getTimestamp()).isEqualTo(77);
        }
        assertThat(e.requests().get(0).eid()).isEqualTo(9);
    }

    @Test
    void anEidOutsideAByteIsRefused() {
        CciAddress a = CciAddress.parse("tcp:127.0.0.1:1");
        assertThatThrownBy(() -> SocketTransport.connect(a, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketTransport.connect(a, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- background commands: polled with 0002h ----

    @Test
    void aBackgroundCommandIsWaitedOnByPollingBackgroundOperationStatus() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        FakeEndpoint e = endpoint(r -> {
            if (r.message().opcode().equals(TRANSFER_FW)) {
                return reply(r, ReturnCode.BACKGROUND_COMMAND_STARTED.value(), new byte[0]);
            }
            int n = polls.incrementAndGet();
            BackgroundOperationStatus s = n < 3 ? bg(true, 30 * n, TRANSFER_FW, 0) : bg(false, 100, TRANSFER_FW, 0);
            return reply(r, 0, s.encode());
        });
        SocketTransport t = connect(e);

        CommandResponse started = t.send(TRANSFER_FW, transferPart());
        assertThat(started.returnCode()).isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED);
        assertThat(started.backgroundStarted()).isTrue();
        CommandResponse done = t.awaitBackground(TRANSFER_FW);

        assertThat(done.success()).isTrue();
        assertThat(e.requests()).extracting(r -> r.message().opcode())
                .containsExactly(TRANSFER_FW, BG_STATUS, BG_STATUS, BG_STATUS);
    }

    @Test
    void aBackgroundCommandsFinalCodeIsReported() throws Exception {
        FakeEndpoint e = endpoint(r -> r.message().opcode().equals(TRANSFER_FW)
                ? reply(r, ReturnCode.BACKGROUND_COMMAND_STARTED.value(), new byte[0])
                : reply(r, 0, bg(false, 100, TRANSFER_FW, 0x000A).encode()));
        CciClient client = new CciClient(connect(e));

        assertThatThrownBy(() -> client.transferFw(TransferFwRequest.decode(ByteBuffer.wrap(transferPart()))))
                .isInstanceOfSatisfying(CciCommandException.class,
                        ex -> assertThat(ex.getMessage()).isEqualTo("Transfer FW: FW Verification Failed, 000Ah"));
    }

    @Test
    void aBackgroundCommandThatVanishedFromTheStatusWasDroppedNotCompleted() throws Exception {
        // After a reset, Background Operation Status is all zeros: opcode 0, return code 0.
        FakeEndpoint e = endpoint(r -> r.message().opcode().equals(TRANSFER_FW)
                ? reply(r, ReturnCode.BACKGROUND_COMMAND_STARTED.value(), new byte[0])
                : reply(r, 0, bg(false, 0, Opcode.of(0), 0).encode()));
        SocketTransport t = connect(e);

        CommandResponse r = t.execute(TRANSFER_FW, transferPart());

        assertThat(r.success()).isFalse();
        assertThat(r.returnCode()).isEqualTo(ReturnCode.INTERRUPTED);
    }

    @Test
    void anAbortedBackgroundCommandReportsAborted() throws Exception {
        FakeEndpoint e = endpoint(r -> r.message().opcode().equals(TRANSFER_FW)
                ? reply(r, ReturnCode.BACKGROUND_COMMAND_STARTED.value(), new byte[0])
                : reply(r, 0, bg(false, 42, TRANSFER_FW, 0x0012).encode()));
        SocketTransport t = connect(e);

        assertThat(t.execute(TRANSFER_FW, transferPart()).returnCode()).isEqualTo(ReturnCode.ABORTED);
    }

    @Test
    void aRefusedStatusPollIsAnError() throws Exception {
        FakeEndpoint e = endpoint(r -> r.message().opcode().equals(TRANSFER_FW)
                ? reply(r, ReturnCode.BACKGROUND_COMMAND_STARTED.value(), new byte[0])
                : reply(r, 0x0015, new byte[0]));
        SocketTransport t = connect(e);

        assertThatThrownBy(() -> t.execute(TRANSFER_FW, transferPart()))
                .isInstanceOf(IOException.class).isNotInstanceOf(CciTimeoutException.class)
                .hasMessageContaining("Background Operation Status failed");
    }

    @Test
    void aBackgroundCommandThatNeverFinishesTimesOut() throws Exception {
        FakeEndpoint e = endpoint(r -> r.message().opcode().equals(TRANSFER_FW)
                ? reply(r, ReturnCode.BACKGROUND_COMMAND_STARTED.value(), new byte[0])
                : reply(r, 0, bg(true, 50, TRANSFER_FW, 0).encode()));
        SocketTransport t = SocketTransport.connect(e.address(), 8, Duration.ofMillis(200));
        toClose.add(t);
        long start = System.nanoTime();

        assertThatThrownBy(() -> t.execute(TRANSFER_FW, transferPart())).isInstanceOf(CciTimeoutException.class)
                .hasMessageContaining("did not finish");
        assertThat(System.nanoTime() - start).isBetween(200_000_000L, 2_000_000_000L);
    }

    // ---- the connection ----

    @Test
    void noAnswerWithinTwoSecondsIsATimeout() throws Exception {
        FakeEndpoint e = endpoint(r -> List.of()); // never answers
        SocketTransport t = connect(e);
        long start = System.nanoTime();

        assertThatThrownBy(() -> t.send(CommandId.GET_FW_INFO.opcode(), new byte[0]))
                .isInstanceOf(CciTimeoutException.class).hasMessageContaining("no answer to 0200h within 2 s");
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isBetween(1_900_000_000L, 6_000_000_000L);
    }

    @Test
    void aConnectionClosedByTheEndpointIsAnIoErrorNotATimeout() throws Exception {
        FakeEndpoint e = endpoint(r -> null); // closes instead of answering
        SocketTransport t = connect(e);
        long start = System.nanoTime();

        assertThatThrownBy(() -> t.send(CommandId.GET_FW_INFO.opcode(), new byte[0]))
                .isInstanceOf(IOException.class).isNotInstanceOf(CciTimeoutException.class);
        assertThat(System.nanoTime() - start).isLessThan(1_500_000_000L);
    }

    @Test
    void maxPayloadIsTwoToTheIdentifyExponentAskedOnce() throws Exception {
        FakeEndpoint e = endpoint(r -> reply(r, 0, new Identify(0x1b36, 0x0d93, 0, 0, 5, 12, 3).encode()));
        SocketTransport t = connect(e);

        assertThat(t.maxPayload()).isEqualTo(4096);
        assertThat(t.maxPayload()).isEqualTo(4096);

        assertThat(e.requests()).singleElement()
                .satisfies(r -> assertThat(r.message().opcode()).isEqualTo(CommandId.IDENTIFY.opcode()));
    }

    @Test
    void maxPayloadFailsWhenIdentifyIsRefused() throws Exception {
        FakeEndpoint e = endpoint(r -> reply(r, 0x0003, new byte[0]));
        SocketTransport t = connect(e);

        assertThatThrownBy(t::maxPayload).isInstanceOf(IOException.class).hasMessageContaining("Identify failed");
    }
}
