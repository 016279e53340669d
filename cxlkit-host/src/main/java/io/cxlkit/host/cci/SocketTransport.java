package io.cxlkit.host.cci;

import io.cxlkit.protocol.CciHeader;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.frame.FrameDecoder;
import io.cxlkit.protocol.frame.FrameEncoder;
import io.cxlkit.protocol.frame.FrameFormat;
import io.cxlkit.protocol.frame.FrameEvent;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.Identify;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * The MCTP CCI over the socket endpoint (wire.md §1): one connection, one EID, requests answered
 * in order. A background command is waited on by polling Background Operation Status (0002h),
 * as an MCTP host must; the poll interval grows from 1 ms to 50 ms.
 */
public final class SocketTransport implements CciTransport {

    /** How long the endpoint may take to answer one request before the host gives up. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    private final CciAddress address;
    private final int eid;
    private final SocketChannel channel;
    private final Selector selector;
    private final FrameDecoder decoder = FrameDecoder.forResponses();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final Duration backgroundTimeout;
    private int nextTag;
    private int maxPayload = -1;

    private SocketTransport(CciAddress address, int eid, SocketChannel channel, Duration backgroundTimeout)
            throws IOException {
        this.address = address;
        this.eid = eid;
        this.channel = channel;
        this.backgroundTimeout = backgroundTimeout;
        // Non-blocking with a selector: the same timed reads for TCP and Unix domain sockets.
        channel.configureBlocking(false);
        this.selector = Selector.open();
    }

    public static SocketTransport connect(CciAddress address, int eid) throws IOException {
        return connect(address, eid, HostLimits.BACKGROUND_TIMEOUT);
    }

    public static SocketTransport connect(CciAddress address, int eid, Duration backgroundTimeout)
            throws IOException {
        if (eid < 0 || eid > 255) {
            throw new IllegalArgumentException("an EID is 0..255: " + eid);
        }
        SocketChannel ch;
        if (address.socketAddress() instanceof InetSocketAddress inet) {
            ch = SocketChannel.open(new InetSocketAddress(inet.getHostString(), inet.getPort()));
            ch.socket().setTcpNoDelay(true);
        } else {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(address.socketAddress());
        }
        return new SocketTransport(address, eid, ch, backgroundTimeout);
    }

    @Override
    public String describe() {
        return address + " EID " + eid;
    }

    @Override
    public synchronized CommandResponse execute(Opcode opcode, byte[] payload)
            throws IOException, InterruptedException {
        return CciTransport.sendAndAwait(this, opcode, payload);
    }

    @Override
    public synchronized CommandResponse send(Opcode opcode, byte[] payload) throws IOException {
        int tag = nextTag;
        nextTag = (nextTag + 1) & 0xFF;
        // head and payload in one gathering write: no copy of a payload of up to 2 MiB into a frame array
        ByteBuffer head = ByteBuffer.allocate(FrameFormat.HEAD_SIZE);
        FrameEncoder.encodeHeadTo(eid, CciHeader.request(tag, opcode, payload.length), head);
        writeFully(new ByteBuffer[] {head.flip(), ByteBuffer.wrap(payload)});
        CciMessage response = readResponse(tag, opcode);
        if (!response.opcode().equals(opcode)) {
            throw new IOException(describe() + ": answer for tag " + response.tag() + " " + response.opcode()
                    + ", expected tag " + tag + " " + opcode);
        }
        return new CommandResponse(CciTransport.returnCode(this, response.returnCode()), response.payload());
    }

    /** Writes a frame given as head and payload. */
    private void writeFully(ByteBuffer[] frame) throws IOException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
        try {
            while (frame[0].hasRemaining() || frame[1].hasRemaining()) {
                if (channel.write(frame) == 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new CciTimeoutException(describe() + ": the endpoint stopped reading");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            }
        } finally {
            key.cancel();
            selector.selectNow();
        }
    }

    /**
     * The next answer carrying {@code tag}. Answers with another tag are late answers to requests
     * that timed out earlier on this connection (requests are answered in order): they are not
     * ours and are skipped, as an MCTP requester drops responses it no longer waits for.
     */
    private CciMessage readResponse(int tag, Opcode opcode) throws IOException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        try {
            while (true) {
                Optional<FrameEvent> event = decoder.next();
                if (event.isPresent()) {
                    if (event.get() instanceof FrameEvent.Frame f) {
                        if (f.message().tag() == tag) {
                            return f.message();
                        }
                        continue; // a late answer to an earlier request
                    }
                    if (event.get() instanceof FrameEvent.Close c) {
                        throw new IOException(describe() + ": malformed answer: " + c.reason());
                    }
                    continue; // dropped or oversized answers are not ours
                }
                readBuffer.clear();
                int n = channel.read(readBuffer);
                if (n < 0) {
                    throw new IOException(describe() + ": connection closed by the endpoint");
                }
                if (n == 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new CciTimeoutException(describe() + ": no answer to " + opcode + " within "
                                + ANSWER_TIMEOUT.toSeconds() + " s");
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                    continue;
                }
                readBuffer.flip();
                decoder.feed(readBuffer);
            }
        } finally {
            key.cancel();
            selector.selectNow();
        }
    }

    @Override
    public synchronized CommandResponse awaitBackground(Opcode opcode) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + backgroundTimeout.toNanos();
        long sleepMillis = 1;
        while (true) {
            CommandResponse r = send(CommandId.BACKGROUND_OPERATION_STATUS.opcode(), new byte[0]);
            if (!r.success()) {
                throw new IOException(describe() + ": Background Operation Status failed: "
                        + r.returnCode().specName());
            }
            BackgroundOperationStatus s = BackgroundOperationStatus.decode(ByteBuffer.wrap(r.output()));
            if (!s.inProgress()) {
                // A reset clears the status (opcode 0): the command was dropped, not completed.
                return CommandResponse.of(s.opcode().equals(opcode) ? CciTransport.returnCode(this, s.returnCode())
                        : ReturnCode.INTERRUPTED);
            }
            if (System.nanoTime() > deadline) {
                throw new CciTimeoutException(describe() + ": background " + opcode + " did not finish within "
                        + backgroundTimeout.toSeconds() + " s");
            }
            Thread.sleep(sleepMillis);
            sleepMillis = Math.min(50, sleepMillis * 2);
        }
    }

    /** 2^n from Identify's Max Supported Message Size, asked once. */
    @Override
    public synchronized int maxPayload() throws IOException {
        if (maxPayload < 0) {
            CommandResponse r = send(CommandId.IDENTIFY.opcode(), new byte[0]);
            if (!r.success()) {
                throw new IOException(describe() + ": Identify failed: " + r.returnCode().specName());
            }
            maxPayload = 1 << Identify.decode(ByteBuffer.wrap(r.output())).maxMessageSizeExponent();
        }
        return maxPayload;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
