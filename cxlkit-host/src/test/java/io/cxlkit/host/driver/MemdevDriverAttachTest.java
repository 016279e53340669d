package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.CciTimeoutException;
import io.cxlkit.host.cci.RecordingTransport;
import io.cxlkit.protocol.CelEffects;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.CelEntry;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.protocol.payload.ShutdownState;
import io.cxlkit.protocol.payload.SupportedLogEntry;
import io.cxlkit.protocol.payload.SupportedLogs;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's attach (memdev-commands.md §13.1) against a scripted device: the commands it sends,
 * in order, what it keeps, and that a failed Set Shutdown State is logged, not fatal.
 */
class MemdevDriverAttachTest {

    private static final long UNIT = IdentifyMemoryDevice.CAPACITY_UNIT;

    private final RecordingTransport transport = new RecordingTransport().maxPayload(256);
    private final MemdevDriver driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, transport, Clock.systemUTC(),
            s -> { });
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** Identify's answer: volatile-only, persistent-only, partitionable (in units) and the alignment. */
    private IdentifyMemoryDevice identify = identify(0, 4, 0, 0);
    /** The CEL the device lists. */
    private List<Integer> cel = new ArrayList<>(List.of(0x0001, 0x0200, 0x4000, 0x4200, 0x4203, 0x4204));
    private PartitionInfo partitions = new PartitionInfo(2, 6, 0, 0);

    private static IdentifyMemoryDevice identify(long v, long p, long x, long align) {
        return new IdentifyMemoryDevice("BWFW VERSION 0", v + p + x, v, p, align, 8, 8, 8, 8, 131072, 256, 0, 1, 0, 0);
    }

    @BeforeEach
    void device() {
        Logger.getLogger(MemdevDriver.class.getName()).addHandler(capture);
        transport.outputs(c -> {
            if (c.is(CommandId.IDENTIFY_MEMORY_DEVICE)) {
                return identify.encode();
            }
            if (c.is(CommandId.GET_SUPPORTED_LOGS)) {
                return new SupportedLogs(List.of(new SupportedLogEntry(LogIds.CEL_UUID, 4L * cel.size()))).encode();
            }
            if (c.is(CommandId.GET_LOG)) {
                GetLogRequest r = GetLogRequest.decode(ByteBuffer.wrap(c.payload()));
                ByteBuffer all = ByteBuffer.allocate(4 * cel.size());
                cel.forEach(op -> new CelEntry(Opcode.of(op), CelEffects.NONE).encodeTo(all));
                return Arrays.copyOfRange(all.array(), (int) r.offset(), (int) (r.offset() + r.length()));
            }
            if (c.is(CommandId.GET_PARTITION_INFO)) {
                return partitions.encode();
            }
            return null;
        });
    }

    @AfterEach
    void stopCapture() {
        Logger.getLogger(MemdevDriver.class.getName()).removeHandler(capture);
    }

    private List<String> sent() {
        return transport.commands().stream().map(c -> CommandId.nameOf(c.opcode())).toList();
    }

    @Test
    void withoutAlignmentTheSizesAreIdentifysAndThePersistentDeviceIsArmedDirty() throws Exception {
        MemdevDriver.Attachment a = driver.attach().orElseThrow();

        assertThat(sent()).containsExactly("Identify Memory Device", "Get Supported Logs", "Get Log",
                "Set Shutdown State");
        RecordingTransport.Command set = transport.commands().get(3);
        assertThat(ShutdownState.decode(ByteBuffer.wrap(set.payload()))).isEqualTo(ShutdownState.DIRTY);
        assertThat(a.pmemSize()).isEqualTo(4 * UNIT);
        assertThat(a.ramSize()).isZero();
        assertThat(a.lsaSize()).isEqualTo(131072);
        assertThat(a.cel()).containsExactlyInAnyOrder(Opcode.of(0x0001), Opcode.of(0x0200), Opcode.of(0x4000),
                Opcode.of(0x4200), Opcode.of(0x4203), Opcode.of(0x4204));
        assertThat(a.celLists(CommandId.SET_SHUTDOWN_STATE)).isTrue();
        assertThat(driver.attachment()).contains(a);
        assertThat(transport.commands()).hasSize(4); // kept: attachment() sent nothing more
    }

    @Test
    void withAnAlignmentTheSizesAreGetPartitionInfosActiveOnes() throws Exception {
        identify = identify(1, 1, 6, 1);
        partitions = new PartitionInfo(3, 5, 4, 4);

        MemdevDriver.Attachment a = driver.attach().orElseThrow();

        assertThat(sent()).containsExactly("Identify Memory Device", "Get Supported Logs", "Get Log",
                "Get Partition Info", "Set Shutdown State");
        assertThat(a.ramSize()).isEqualTo(3 * UNIT);
        assertThat(a.pmemSize()).isEqualTo(5 * UNIT);
    }

    @Test
    void aCelReadInPayloadSizedPiecesFindsEveryOpcode() throws Exception {
        cel = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // 400 bytes: two Get Log reads of at most 256 bytes
            cel.add(0xC000 + i);
        }
        cel.add(0x4204);

        MemdevDriver.Attachment a = driver.attach().orElseThrow();

        List<GetLogRequest> reads = transport.commands().stream().filter(c -> c.is(CommandId.GET_LOG))
                .map(c -> GetLogRequest.decode(ByteBuffer.wrap(c.payload()))).toList();
        assertThat(reads).extracting(GetLogRequest::offset).containsExactly(0L, 256L);
        assertThat(reads).extracting(GetLogRequest::length).containsExactly(256L, 148L);
        assertThat(a.cel()).hasSize(101).contains(Opcode.of(0xC063), Opcode.of(0x4204));
    }

    @Test
    void noSetShutdownStateWithoutItInTheCelOrWithoutPersistentCapacity() throws Exception {
        cel.remove(Integer.valueOf(0x4204));
        driver.attach().orElseThrow();
        assertThat(sent()).doesNotContain("Set Shutdown State");

        cel.add(0x4204);
        identify = identify(4, 0, 0, 0);
        MemdevDriver.Attachment a = driver.attach().orElseThrow();
        assertThat(sent()).doesNotContain("Set Shutdown State");
        assertThat(a.ramSize()).isEqualTo(4 * UNIT);
        assertThat(a.pmemSize()).isZero();

        // all the capacity partitionable and all of it volatile now: no persistent capacity either
        identify = identify(0, 0, 4, 1);
        partitions = new PartitionInfo(4, 0, 0, 0);
        driver.attach().orElseThrow();
        assertThat(sent()).doesNotContain("Set Shutdown State");
    }

    @Test
    void aFailedSetShutdownStateIsLoggedAndTheAttachStands() throws Exception {
        transport.script(c -> c.is(CommandId.SET_SHUTDOWN_STATE) ? 0x0003 : null);

        assertThat(driver.attach()).isPresent();

        assertThat(logged).extracting(LogRecord::getMessage).anySatisfy(m -> assertThat(m)
                .startsWith("mem0: Set Shutdown State (dirty) failed at attach: ")
                .contains("Unsupported"));
    }

    @Test
    void itSetsNoTimestampAndLeavesTheEventLogsAlone() throws Exception {
        driver.attach().orElseThrow();

        assertThat(transport.commands()).noneMatch(c -> c.is(CommandId.SET_TIMESTAMP) || c.is(CommandId.GET_EVENT_RECORDS)
                || c.is(CommandId.CLEAR_EVENT_RECORDS) || c.is(CommandId.SET_EVENT_INTERRUPT_POLICY));
    }

    @Test
    void aFailedIdentifyOrPartitionInfoFailsTheAttach_onlyTheNextAttachTriesAgain() throws Exception {
        transport.script(c -> c.is(CommandId.IDENTIFY_MEMORY_DEVICE) ? 0x0007 : null);
        assertThat(driver.attach()).isEmpty();
        assertThat(logged).extracting(LogRecord::getMessage).anySatisfy(m -> assertThat(m).startsWith("mem0: attach failed: "));

        transport.script(c -> null);
        int sent = transport.commands().size();
        assertThat(driver.attachment()).as("a look never attaches").isEmpty();
        assertThatThrownBy(driver::attached).as("the last attach's failure")
                .isInstanceOfSatisfying(CciCommandException.class, e -> assertThat(e.returnCode().value()).isEqualTo(7));
        assertThat(transport.commands()).hasSize(sent);

        identify = identify(0, 0, 4, 1);
        transport.script(c -> c.is(CommandId.GET_PARTITION_INFO) ? 0x0007 : null);
        assertThat(driver.attach()).isEmpty();

        transport.script(c -> {
            throw new CciTimeoutException("silent");
        });
        assertThat(driver.attach()).isEmpty();
        assertThatThrownBy(driver::attached).isInstanceOf(CciTimeoutException.class);

        transport.script(c -> null);
        assertThat(driver.attach()).hasValueSatisfying(a -> assertThat(a.ramSize()).isEqualTo(2 * UNIT));
        assertThat(driver.attachment()).hasValueSatisfying(a -> assertThat(a.ramSize()).isEqualTo(2 * UNIT));
    }

    @Test
    void beforeAnyAttachNothingIsAttachedAndNothingIsSent() throws Exception {
        assertThat(driver.attachment()).isEmpty();
        assertThatThrownBy(driver::attached).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("has not attached");
        assertThat(transport.commands()).isEmpty();
    }

    @Test
    void aFailedAttachKeepsWhatTheLastSuccessfulOneLearned() throws Exception {
        MemdevDriver.Attachment a = driver.attach().orElseThrow();
        transport.script(c -> c.is(CommandId.GET_SUPPORTED_LOGS) ? 0x0007 : null);

        assertThat(driver.attach()).isEmpty();

        assertThat(driver.attachment()).contains(a);
        assertThat(driver.attached()).isSameAs(a);
    }

    @Test
    void attachesRunOneAtATime_andALookDuringOneSeesTheLastPublishedOneWithoutSending() throws Exception {
        MemdevDriver.Attachment first = driver.attach().orElseThrow();
        identify = identify(0, 8, 0, 0);
        CountDownLatch inAttach = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        transport.script(c -> {
            if (c.is(CommandId.GET_SUPPORTED_LOGS) && inAttach.getCount() > 0) {
                inAttach.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<MemdevDriver.Attachment>> reset = pool.submit(driver::attach);
            assertThat(inAttach.await(10, TimeUnit.SECONDS)).isTrue();
            int sent = transport.commands().size();

            // concurrent looks (what GET /v1/memdevs does) answer at once with the published attachment
            for (int i = 0; i < 8; i++) {
                assertThat(driver.attachment()).contains(first);
                assertThat(driver.attached()).isSameAs(first);
            }
            // a second attach waits for the first
            Future<Optional<MemdevDriver.Attachment>> second = pool.submit(driver::attach);
            Thread.sleep(100);
            assertThat(second).isNotDone();
            assertThat(transport.commands()).hasSize(sent);

            release.countDown();
            MemdevDriver.Attachment a = reset.get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(a.pmemSize()).isEqualTo(8 * UNIT);
            assertThat(second.get(10, TimeUnit.SECONDS)).isPresent();
            // each attach sent its commands whole, one after the other
            List<String> names = sent();
            assertThat(names.subList(4, names.size())).containsExactly(
                    "Identify Memory Device", "Get Supported Logs", "Get Log", "Set Shutdown State",
                    "Identify Memory Device", "Get Supported Logs", "Get Log", "Set Shutdown State");
            assertThat(driver.attachment()).hasValueSatisfying(x -> assertThat(x.pmemSize()).isEqualTo(8 * UNIT));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void setPartitionSendsUnitsWithoutImmediate() throws Exception {
        driver.setPartition(3 * UNIT);

        RecordingTransport.Command c = transport.commands().get(0);
        assertThat(c.is(CommandId.SET_PARTITION_INFO)).isTrue();
        assertThat(c.payload()).hasSize(SetPartitionInfoRequest.SIZE);
        assertThat(SetPartitionInfoRequest.decode(ByteBuffer.wrap(c.payload())))
                .isEqualTo(new SetPartitionInfoRequest(3, false));
    }
}
