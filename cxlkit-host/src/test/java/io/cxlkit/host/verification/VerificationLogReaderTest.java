package io.cxlkit.host.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fw.VerificationLogRing;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.CciTransport;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.cci.RecordingTransport;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.fwpkg.VerificationCheck;
import io.cxlkit.protocol.fwpkg.VerificationFailure;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.VerificationLog.Operation;
import io.cxlkit.protocol.payload.VerificationLog.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the host finds a failure's record in the Verification Log, and when it does not. */
class VerificationLogReaderTest {

    private final VerificationLogRing device = new VerificationLogRing(new VirtualClock());
    private final RecordingTransport transport = new RecordingTransport().verificationLog(device::bytes);
    private final VerificationLogReader reader = new VerificationLogReader(new CciClient(transport));

    private void fail(Operation op, int slot, VerificationFailure f) {
        device.record(op, slot, f);
    }

    private static VerificationFailure badMagic() {
        return VerificationFailure.of(VerificationCheck.BAD_MAGIC);
    }

    @Test
    void theRecordOfTheFailureSinceTheMark() throws Exception {
        fail(Operation.TRANSFER, 2, badMagic()); // an older failure on the same slot
        OptionalLong mark = reader.mark();
        assertThat(mark).hasValue(1);

        fail(Operation.TRANSFER, 2, VerificationFailure.keyNotTrusted("f3af909053e689d9"));

        Record r = reader.newestSince(mark, Operation.TRANSFER, 2).orElseThrow();
        assertThat(r.sequence()).isEqualTo(2);
        assertThat(r.reason()).isEqualTo("signed by key f3af909053e689d9, which is not trusted by this device");
    }

    @Test
    void noNewRecordMeansNoReason_evenWithAnOlderOneForTheSlot() throws Exception {
        fail(Operation.TRANSFER, 2, badMagic());
        OptionalLong mark = reader.mark();
        // an injected 000Ah: the device verified nothing and recorded nothing
        assertThat(reader.newestSince(mark, Operation.TRANSFER, 2)).isEmpty();
    }

    @Test
    void theNewestForTheSlotAndOperationOnly() throws Exception {
        OptionalLong mark = reader.mark();
        assertThat(mark).hasValue(0);
        fail(Operation.TRANSFER, 2, badMagic());
        fail(Operation.TRANSFER, 3, VerificationFailure.of(VerificationCheck.NOT_SIGNED));
        fail(Operation.ONLINE_ACTIVATION, 2, VerificationFailure.belowFloor(1, 2));
        fail(Operation.COLD_RESET, 4, VerificationFailure.of(VerificationCheck.NONZERO_PADDING));

        assertThat(reader.newestSince(mark, Operation.TRANSFER, 2).map(Record::sequence)).contains(1L);
        assertThat(reader.newestSince(mark, Operation.TRANSFER, 3).map(Record::sequence)).contains(2L);
        assertThat(reader.newestSince(mark, Operation.ONLINE_ACTIVATION, 2).map(Record::sequence)).contains(3L);
        assertThat(reader.newestSince(mark, Operation.COLD_RESET).map(Record::slot)).contains(4);
        assertThat(reader.newestSince(mark, Operation.COLD_RESET, 2)).isEmpty();
        assertThat(reader.newestSince(OptionalLong.empty(), Operation.TRANSFER, 2)).isEmpty();
    }

    @Test
    void onlyTheRecordsSinceTheMarkAreRead_inReadsThatFitEveryCci() throws Exception {
        for (int i = 0; i < 20; i++) {
            fail(Operation.TRANSFER, 2, badMagic());
        }
        OptionalLong mark = reader.mark();
        fail(Operation.TRANSFER, 2, badMagic());
        fail(Operation.TRANSFER, 3, badMagic());
        int before = transport.commands().size();

        assertThat(reader.newestSince(mark, Operation.TRANSFER, 2).map(Record::sequence)).contains(21L);

        var reads = transport.commands().subList(before, transport.commands().size()).stream()
                .map(c -> GetLogRequest.decode(ByteBuffer.wrap(c.payload()))).toList();
        assertThat(reads).allSatisfy(r -> {
            assertThat(r.logId()).isEqualTo(LogIds.VERIFICATION_LOG_UUID);
            assertThat(r.length()).isLessThanOrEqualTo(256);
        });
        // the header, then the two newest records (384 bytes: two reads), at the end of a full log
        assertThat(reads).extracting(GetLogRequest::offset).containsExactly(0L, 16L + 14 * 192, 16L + 14 * 192 + 256);
        assertThat(reads).extracting(GetLogRequest::length).containsExactly(16L, 256L, 128L);
    }

    @Test
    void aLogThatChangedBetweenTheHeaderAndTheRecordsIsReadAgain() throws Exception {
        for (int i = 0; i < 16; i++) {
            fail(Operation.TRANSFER, 2, badMagic());
        }
        OptionalLong mark = reader.mark();
        fail(Operation.TRANSFER, 2, VerificationFailure.of(VerificationCheck.NOT_SIGNED));
        // right after the first header read, another failure shifts the full log's records by one
        AtomicInteger recordReads = new AtomicInteger();
        transport.onCommand(c -> {
            if (c.is(CommandId.GET_LOG) && GetLogRequest.decode(ByteBuffer.wrap(c.payload())).offset() != 0
                    && recordReads.getAndIncrement() == 0) {
                fail(Operation.TRANSFER, 3, badMagic());
            }
        });

        Record r = reader.newestSince(mark, Operation.TRANSFER, 2).orElseThrow();
        assertThat(r.sequence()).isEqualTo(17);
        assertThat(r.knownCheck()).contains(VerificationCheck.NOT_SIGNED);
    }

    @Test
    void aLogThatKeepsChangingGivesNoReason() throws Exception {
        for (int i = 0; i < 16; i++) {
            fail(Operation.TRANSFER, 2, badMagic());
        }
        OptionalLong mark = reader.mark();
        fail(Operation.TRANSFER, 2, badMagic());
        transport.onCommand(c -> {
            if (c.is(CommandId.GET_LOG) && GetLogRequest.decode(ByteBuffer.wrap(c.payload())).offset() != 0) {
                fail(Operation.TRANSFER, 3, badMagic());
            }
        });
        assertThat(reader.newestSince(mark, Operation.TRANSFER, 2)).isEmpty();
    }

    @Test
    void aLogThatCannotBeReadGivesNoMarkAndNoReason() throws Exception {
        transport.script(c -> c.is(CommandId.GET_LOG) ? 0x0017 : null); // a device without it
        assertThat(reader.mark()).isEmpty();

        transport.script(c -> null).verificationLog(() -> new byte[] {1, 2, 3}); // malformed
        assertThat(reader.mark()).isEmpty();

        transport.verificationLog(device::bytes);
        OptionalLong mark = reader.mark();
        fail(Operation.TRANSFER, 2, badMagic());
        transport.script(c -> {
            throw new IOException("connection reset");
        });
        assertThat(reader.newestSince(mark, Operation.TRANSFER, 2)).isEmpty();
        transport.script(c -> {
            throw new CciTimeoutException("no answer");
        });
        assertThat(reader.newestSince(mark, Operation.TRANSFER, 2)).isEmpty();
        transport.script(c -> 0x0002);
        assertThat(reader.newestSince(mark, Operation.TRANSFER, 2)).isEmpty();
    }

    @Test
    void aMarkThatTimesOutSaysSo_forTheCallerToDecide() {
        transport.script(c -> {
            throw new CciTimeoutException("no answer");
        });
        assertThatThrownBy(reader::mark).isInstanceOf(CciTimeoutException.class);
    }

    @Test
    void anInterruptIsKeptButGivesNoReason() throws Exception {
        OptionalLong mark = reader.mark();
        fail(Operation.TRANSFER, 2, badMagic());
        CciTransport interrupting = new CciTransport() {
            @Override
            public CommandResponse send(Opcode opcode, byte[] payload) throws InterruptedException {
                throw new InterruptedException();
            }

            @Override
            public CommandResponse awaitBackground(Opcode opcode) {
                throw new IllegalStateException();
            }

            @Override
            public CommandResponse execute(Opcode opcode, byte[] payload) throws InterruptedException {
                throw new InterruptedException();
            }

            @Override
            public int maxPayload() {
                return 4096;
            }

            @Override
            public String describe() {
                return "interrupted";
            }
        };
        VerificationLogReader r = new VerificationLogReader(new CciClient(interrupting));
        try {
            assertThat(r.newestSince(mark, Operation.TRANSFER, 2)).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(r.mark()).isEmpty();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aPowerCycledDevice_allItsRecordsAreNew() throws Exception {
        for (int i = 0; i < 5; i++) {
            fail(Operation.TRANSFER, 2, badMagic());
        }
        OptionalLong mark = reader.mark();
        VerificationLogRing restarted = new VerificationLogRing(new VirtualClock());
        restarted.record(Operation.COLD_RESET, 2, VerificationFailure.of(VerificationCheck.NOT_SIGNED));
        transport.verificationLog(restarted::bytes);
        assertThat(reader.newestSince(mark, Operation.COLD_RESET, 2).map(Record::sequence)).contains(1L);
    }
}
