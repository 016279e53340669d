package io.cxlkit.host.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.protocol.payload.TransferFwAction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The plan's invariants for every image size and payload area (2^8 .. 2^20 bytes). */
class UploadPlanProperties {

    @Property(tries = 300)
    void partsCoverTheImageInOrderAndFitThePayloadArea(@ForAll @LongRange(min = 1, max = 4L << 20) long size,
                                                       @ForAll @IntRange(min = 8, max = 20) int exponent,
                                                       @ForAll @IntRange(min = 1, max = 4) int target) {
        int payload = 1 << exponent;
        UploadPlan plan = new UploadPlan(size, payload, target);

        long next = 0;
        for (int i = 0; i < plan.size(); i++) {
            UploadPart p = plan.get(i);
            assertThat(p.offset()).isEqualTo(next);
            assertThat(p.offset() % 128).isZero();
            assertThat(p.length()).isPositive();
            assertThat(128 + p.length()).isLessThanOrEqualTo(payload);
            boolean last = i == plan.size() - 1;
            if (!last) {
                assertThat(p.length()).isEqualTo(payload - 128);
            }
            next += p.length();
        }
        assertThat(next).isEqualTo(size);
    }

    @Property
    void oneFullExactlyWhenTheImageAndTheHeaderFit(@ForAll @LongRange(min = 1, max = 1L << 20) long size,
                                                   @ForAll @IntRange(min = 8, max = 20) int exponent) {
        int payload = 1 << exponent;
        UploadPlan plan = new UploadPlan(size, payload, 2);

        assertThat(plan.isFull()).isEqualTo(size + 128 <= payload);
        if (plan.isFull()) {
            assertThat(plan.get(0).action()).isEqualTo(TransferFwAction.FULL);
            assertThat(plan.get(0).slot()).isEqualTo(2);
        } else {
            assertThat(plan.size()).isGreaterThanOrEqualTo(2);
            assertThat(plan.get(0).action()).isEqualTo(TransferFwAction.INITIATE);
            assertThat(plan.get(plan.size() - 1).action()).isEqualTo(TransferFwAction.END);
            assertThat(plan.get(plan.size() - 1).slot()).isEqualTo(2);
            for (int i = 0; i < plan.size() - 1; i++) {
                assertThat(plan.get(i).slot()).isZero();
                assertThat(plan.get(i).action())
                        .isEqualTo(i == 0 ? TransferFwAction.INITIATE : TransferFwAction.CONTINUE);
            }
            assertThat(plan.size()).isEqualTo((int) ((size + payload - 129) / (payload - 128)));
        }
    }

    @Property
    void theTargetIsNeverTheActiveSlotAndAlwaysInRange(@ForAll @IntRange(min = 2, max = 4) int slots,
                                                       @ForAll @IntRange(min = 1, max = 4) int active) {
        if (active > slots) {
            return;
        }
        int target = UploadPlan.targetSlot(active, slots);
        assertThat(target).isBetween(1, slots).isNotEqualTo(active);
    }
}
