package io.cxlkit.host.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.cci.CciCommandException;
import io.cxlkit.host.cci.RecordingTransport;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Labels go in chunks of Payload Size - 8 bytes (memdev-commands.md §13.2), against a scripted LSA
 * of 1280 bytes; the first failure stops the operation.
 */
class MemdevDriverLabelsTest {

    private static final int PAYLOAD = 256;
    private static final int CHUNK = PAYLOAD - 8;

    private final RecordingTransport transport = new RecordingTransport().maxPayload(PAYLOAD);
    private final MemdevDriver driver = new MemdevDriver("mem0", "0000:0d:00.0", 0, transport, Clock.systemUTC(),
            s -> { });
    private final byte[] lsa = new byte[1280];

    @BeforeEach
    void device() {
        new Random(7).nextBytes(lsa);
        transport.outputs(c -> {
            if (c.is(CommandId.GET_LSA)) {
                GetLsaRequest r = GetLsaRequest.decode(ByteBuffer.wrap(c.payload()));
                return Arrays.copyOfRange(lsa, (int) r.offset(), (int) (r.offset() + r.length()));
            }
            if (c.is(CommandId.SET_LSA)) {
                SetLsaRequest r = SetLsaRequest.decode(ByteBuffer.wrap(c.payload()));
                r.data().get(lsa, (int) r.offset(), r.dataLength());
            }
            return null;
        });
    }

    private List<GetLsaRequest> reads() {
        return transport.commands().stream().filter(c -> c.is(CommandId.GET_LSA))
                .map(c -> GetLsaRequest.decode(ByteBuffer.wrap(c.payload()))).toList();
    }

    private List<SetLsaRequest> writes() {
        return transport.commands().stream().filter(c -> c.is(CommandId.SET_LSA))
                .map(c -> SetLsaRequest.decode(ByteBuffer.wrap(c.payload()))).toList();
    }

    @Test
    void theChunkIsThePayloadSizeLessSetLsasHeader() throws Exception {
        assertThat(driver.labelChunk()).isEqualTo(CHUNK);
    }

    @Test
    void aReadGoesInChunksAndReturnsTheBytes() throws Exception {
        byte[] read = driver.readLabels(100, 600);

        assertThat(read).isEqualTo(Arrays.copyOfRange(lsa, 100, 700));
        assertThat(reads()).containsExactly(new GetLsaRequest(100, CHUNK), new GetLsaRequest(100 + CHUNK, CHUNK),
                new GetLsaRequest(100 + 2 * CHUNK, 600 - 2 * CHUNK));
        assertThat(transport.commands()).allSatisfy(c -> assertThat(c.payload().length).isLessThanOrEqualTo(PAYLOAD));
    }

    @Test
    void aWriteGoesInChunksThatFitThePayloadWithTheirHeader() throws Exception {
        byte[] data = new byte[CHUNK * 2 + 1];
        new Random(1).nextBytes(data);

        driver.writeLabels(10, data);

        assertThat(writes()).extracting(SetLsaRequest::offset).containsExactly(10L, 10L + CHUNK, 10L + 2 * CHUNK);
        assertThat(writes()).extracting(SetLsaRequest::dataLength).containsExactly(CHUNK, CHUNK, 1);
        assertThat(transport.commands()).allSatisfy(c -> assertThat(c.payload().length).isLessThanOrEqualTo(PAYLOAD));
        assertThat(Arrays.copyOfRange(lsa, 10, 10 + data.length)).isEqualTo(data);
    }

    @Test
    void zeroWritesZerosOverTheRange() throws Exception {
        byte[] before = lsa.clone();

        driver.zeroLabels(1, 1279);

        assertThat(lsa[0]).isEqualTo(before[0]);
        assertThat(Arrays.copyOfRange(lsa, 1, 1280)).containsOnly(0);
        assertThat(writes()).hasSize(6);
    }

    @Test
    void nothingToDoSendsNothing() throws Exception {
        assertThat(driver.readLabels(1280, 0)).isEmpty();
        driver.writeLabels(5, new byte[0]);
        driver.zeroLabels(0, 0);
        assertThat(transport.commands()).isEmpty();
    }

    @Test
    void theFirstFailureStopsAWrite() throws Exception {
        AtomicInteger sets = new AtomicInteger();
        transport.script(c -> c.is(CommandId.SET_LSA) && sets.incrementAndGet() == 2 ? 0x0007 : null);

        assertThatThrownBy(() -> driver.writeLabels(0, new byte[1000]))
                .isInstanceOfSatisfying(CciCommandException.class,
                        e -> assertThat(e.returnCode()).isEqualTo(ReturnCode.MEDIA_DISABLED));
        assertThat(writes()).hasSize(2);
        assertThat(MemdevDriver.LABELS_INCONSISTENT).isEqualTo("labels may be in an inconsistent state");
    }

    @Test
    void theFirstFailureStopsARead() throws Exception {
        transport.script(c -> c.is(CommandId.GET_LSA) ? 0x0002 : null);

        assertThatThrownBy(() -> driver.readLabels(0, 1000)).isInstanceOf(CciCommandException.class);
        assertThat(reads()).hasSize(1);
    }

    @Test
    void aShortGetLsaAnswerIsMalformed() {
        transport.outputs(c -> c.is(CommandId.GET_LSA) ? new byte[3] : null);

        assertThatThrownBy(() -> driver.readLabels(0, 10)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("malformed Get LSA output: 3 bytes for 10");
    }
}
