package io.cxlkit.host.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.protocol.payload.TransferFwAction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How an image is cut into Transfer FW parts (reference.md §6, cli.md update-firmware). */
class UploadPlanTest {

    private static final int P = 4096;
    private static final int CHUNK = P - 128;

    @Test
    void anEightMiBImageWithA4KiBPayloadGoesIn2115PartsTheLastCarrying256Bytes() {
        UploadPlan plan = new UploadPlan(8L << 20, P, 2);

        assertThat(plan).hasSize(2115);
        assertThat(plan.isFull()).isFalse();
        assertThat(plan.get(0)).isEqualTo(new UploadPart(TransferFwAction.INITIATE, 0, CHUNK, 0));
        assertThat(plan.get(1)).isEqualTo(new UploadPart(TransferFwAction.CONTINUE, CHUNK, CHUNK, 0));
        assertThat(plan.get(2114)).isEqualTo(new UploadPart(TransferFwAction.END, 2114L * CHUNK, 256, 2));
        assertThat(plan.subList(1, 2114)).allSatisfy(p -> {
            assertThat(p.action()).isEqualTo(TransferFwAction.CONTINUE);
            assertThat(p.slot()).isZero();
            assertThat(p.length()).isEqualTo(CHUNK);
        });
    }

    @Test
    void partsAreContiguousAndTheirOffsetsCount128ByteUnits() {
        UploadPlan plan = new UploadPlan(8L << 20, P, 2);
        long next = 0;
        for (UploadPart p : plan) {
            assertThat(p.offset()).isEqualTo(next);
            assertThat(p.offset() % 128).isZero();
            assertThat(p.offsetUnits()).isEqualTo(p.offset() / 128);
            next += p.length();
        }
        assertThat(next).isEqualTo(8L << 20);
        assertThat(plan.get(2114).offsetUnits()).isEqualTo(2114L * CHUNK / 128);
    }

    @Test
    void anImageOfExactlyPMinus128BytesGoesAsOneFullNotALoneInitiate() {
        UploadPlan plan = new UploadPlan(P - 128, P, 2);

        assertThat(plan.isFull()).isTrue();
        assertThat(plan.parts()).containsExactly(new UploadPart(TransferFwAction.FULL, 0, P - 128, 2));
    }

    @Test
    void anImageOfPMinus127BytesGoesInTwoPartsTheSecondCarryingOneByte() {
        UploadPlan plan = new UploadPlan(P - 127, P, 3);

        assertThat(plan.isFull()).isFalse();
        assertThat(plan.parts()).containsExactly(
                new UploadPart(TransferFwAction.INITIATE, 0, CHUNK, 0),
                new UploadPart(TransferFwAction.END, CHUNK, 1, 3));
        assertThat(plan.get(1).offsetUnits()).isEqualTo(CHUNK / 128);
    }

    @Test
    void anImageOfExactlyTwoChunksEndsWithAFullSizedEnd() {
        UploadPlan plan = new UploadPlan(2L * CHUNK, P, 2);

        assertThat(plan.parts()).extracting(UploadPart::action)
                .containsExactly(TransferFwAction.INITIATE, TransferFwAction.END);
        assertThat(plan.get(1).length()).isEqualTo(CHUNK);
    }

    @Test
    void smallImagesGoAsOneFullToTheTargetSlot() {
        for (long size : List.of(1L, 127L, 128L, 129L, 1000L, (long) P - 129)) {
            UploadPlan plan = new UploadPlan(size, P, 1);
            assertThat(plan.parts()).as("size %d", size)
                    .containsExactly(new UploadPart(TransferFwAction.FULL, 0, (int) size, 1));
        }
    }

    @Test
    void theSmallestPayloadAreaCarries128DataBytesPerPart() {
        UploadPlan plan = new UploadPlan(1000, 256, 2);

        assertThat(plan).hasSize(8);
        assertThat(plan.parts()).extracting(UploadPart::length).containsExactly(128, 128, 128, 128, 128, 128, 128, 104);
    }

    @ParameterizedTest(name = "{1} slots, active {0} -> slot {2}")
    @CsvSource({"1,2,2", "2,2,1", "1,3,2", "2,3,3", "3,3,1", "1,4,2", "3,4,4", "4,4,1"})
    void theTargetSlotIsTheOneAfterTheActiveSlotWrapping(int active, int slots, int expected) {
        assertThat(UploadPlan.targetSlot(active, slots)).isEqualTo(expected);
    }

    @Test
    void refusesAnEmptyImageAndAPayloadAreaThatCannotCarryData() {
        assertThatThrownBy(() -> new UploadPlan(0, P, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadPlan(10, 128, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadPlan(1, P, 2).get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
