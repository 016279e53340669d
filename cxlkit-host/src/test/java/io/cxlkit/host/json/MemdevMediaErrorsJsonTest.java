package io.cxlkit.host.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlkit.host.json.MemdevJson.Include;
import io.cxlkit.host.json.MemdevView.MediaError;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.MediaErrorRecord;
import io.cxlkit.protocol.payload.PoisonSource;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code media_errors} array of {@code list -L} (memdev-commands.md §15.1): golden output for
 * none, one and several records, plain and {@code -u}, derived from §15.1 and ndctl's JSON
 * conventions (offset a hex field, length a size field, flags per output with trailing commas,
 * {@code overflow_t} only with Overflow), at its place after {@code firmware}.
 */
class MemdevMediaErrorsJsonTest {

    static final EnumSet<Include> L_F = EnumSet.of(Include.MEDIA_ERRORS, Include.FIRMWARE);

    static MemdevView with(GetPoisonListResponse... outputs) {
        return MemdevJsonTest.factoryDefault().withMediaErrors(MediaError.from(List.of(outputs)));
    }

    /**
     * What the factory mem0 with media errors lists with {@code include}: what it lists without
     * {@code media_errors} (cli.md's goldens in {@link MemdevJsonTest} pin that), with
     * {@code mediaErrors} (the member, written unindented) after its other members.
     */
    static String expected(boolean human, EnumSet<Include> include, String mediaErrors) {
        EnumSet<Include> without = EnumSet.copyOf(include);
        without.remove(Include.MEDIA_ERRORS);
        String json = MemdevJson.list(List.of(MemdevJsonTest.factoryDefault()), human, without);
        String close = human ? "\n}\n" : "\n  }\n]\n";
        assertThat(json).endsWith(close);
        return json.substring(0, json.length() - close.length()) + ",\n" + mediaErrors.indent(human ? 2 : 4)
                + close.substring(1);
    }

    @Test
    void noRecordsLeaveTheKeyOut() {
        // list -F as MemdevJsonTest's golden from cli.md has it
        String listF = MemdevJson.list(List.of(MemdevJsonTest.factoryDefault()), false, false);
        assertThat(MemdevJson.list(List.of(with(GetPoisonListResponse.of(false, List.of()))), false, L_F))
                .isEqualTo(listF);
    }

    @Test
    void oneRecordWithoutFlags() {
        MemdevView v = with(GetPoisonListResponse.of(false,
                List.of(new MediaErrorRecord(0x1000, PoisonSource.INJECTED, 1))));
        assertThat(MemdevJson.list(List.of(v), false, L_F)).isEqualTo(expected(false, L_F, """
                "media_errors":[
                  {
                    "offset":4096,
                    "length":64,
                    "source":"Injected"
                  }
                ]"""));
        assertThat(MemdevJson.list(List.of(v), true, L_F)).isEqualTo(expected(true, L_F, """
                "media_errors":[
                  {
                    "offset":"0x1000",
                    "length":64,
                    "source":"Injected"
                  }
                ]"""));
    }

    /** Two outputs: the first with More, the second with Overflow and Scan Media in Progress. */
    static MemdevView several() {
        return with(GetPoisonListResponse.of(true, List.of(
                        new MediaErrorRecord(0, PoisonSource.INTERNAL, 2),
                        new MediaErrorRecord(0x40000, PoisonSource.EXTERNAL, 0x20000))),
                new GetPoisonListResponse(false, true, true, false, 0x1234abcdL, List.of(
                        new MediaErrorRecord(0x3FFFFFC0L, PoisonSource.VENDOR_SPECIFIC, 1),
                        new MediaErrorRecord(0x10000000L, PoisonSource.UNKNOWN, 4))));
    }

    @Test
    void severalRecordsCarryTheirOutputsFlagsAndOverflowTimestamp() {
        EnumSet<Include> onlyL = EnumSet.of(Include.MEDIA_ERRORS);
        assertThat(MemdevJson.list(List.of(several()), false, onlyL)).isEqualTo(expected(false, onlyL, """
                "media_errors":[
                  {
                    "offset":0,
                    "length":128,
                    "source":"Internal",
                    "flags":"More,"
                  },
                  {
                    "offset":262144,
                    "length":8388608,
                    "source":"External",
                    "flags":"More,"
                  },
                  {
                    "offset":1073741760,
                    "length":64,
                    "source":"Vendor Specific",
                    "flags":"Scanning,Overflow,",
                    "overflow_t":305441741
                  },
                  {
                    "offset":268435456,
                    "length":256,
                    "source":"Unknown",
                    "flags":"Scanning,Overflow,",
                    "overflow_t":305441741
                  }
                ]"""));
        assertThat(MemdevJson.list(List.of(several()), true, onlyL)).isEqualTo(expected(true, onlyL, """
                "media_errors":[
                  {
                    "offset":"0",
                    "length":128,
                    "source":"Internal",
                    "flags":"More,"
                  },
                  {
                    "offset":"0x40000",
                    "length":"8.00 MiB (8.39 MB)",
                    "source":"External",
                    "flags":"More,"
                  },
                  {
                    "offset":"0x3fffffc0",
                    "length":64,
                    "source":"Vendor Specific",
                    "flags":"Scanning,Overflow,",
                    "overflow_t":"0x1234abcd"
                  },
                  {
                    "offset":"0x10000000",
                    "length":256,
                    "source":"Unknown",
                    "flags":"Scanning,Overflow,",
                    "overflow_t":"0x1234abcd"
                  }
                ]"""));
    }

    @Test
    void allThreeFlagsPrintMoreScanningOverflowAndReservedSourcesPrintReserved() {
        MemdevView v = MemdevJsonTest.factoryDefault().withMediaErrors(List.of(new MediaError(0x80, 64, 5, 0x07, 9)));
        assertThat(MemdevJson.list(List.of(v), false, EnumSet.of(Include.MEDIA_ERRORS)))
                .contains("\"source\":\"Reserved\",\n        \"flags\":\"More,Scanning,Overflow,\",\n"
                        + "        \"overflow_t\":9\n");
    }

    @Test
    void restartAckAloneIsANonZeroFlagsByteWithNoWords() {
        MemdevView v = MemdevJsonTest.factoryDefault().withMediaErrors(MediaError.from(List.of(
                new GetPoisonListResponse(false, false, false, true, 0,
                        List.of(new MediaErrorRecord(0x40, PoisonSource.INJECTED, 1))))));
        assertThat(MemdevJson.list(List.of(v), false, EnumSet.of(Include.MEDIA_ERRORS)))
                .contains("\"source\":\"Injected\",\n        \"flags\":\"\"\n      }");
    }

    @Test
    void notAskedForNotPrinted() {
        assertThat(MemdevJson.list(List.of(several()), false, EnumSet.noneOf(Include.class)))
                .doesNotContain("media_errors");
    }

    @Test
    void sourceAndFlagsAreBounded() {
        assertThatThrownBy(() -> new MediaError(0, 64, 8, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MediaError(0, 64, 0, 0x100, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
