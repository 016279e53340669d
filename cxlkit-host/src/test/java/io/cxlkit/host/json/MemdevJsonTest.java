package io.cxlkit.host.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.host.json.MemdevView.CxlkitView;
import io.cxlkit.host.json.MemdevView.FirmwareView;
import io.cxlkit.host.json.MemdevView.UploadView;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Memdev JSON: cli.md's golden outputs and ndctl's key order, presence and number formats. */
class MemdevJsonTest {

    static final String FACTORY_REVISION = "BWFW VERSION 0";
    static final FwInfo FACTORY_FW_INFO = new FwInfo(2, 1, 0, true, List.of(FACTORY_REVISION, "", "", ""));

    /** The factory-default device as the host sees it: 1 GiB pmem, serial 0, one package in slot 1. */
    static MemdevView factoryDefault() {
        IdentifyMemoryDevice identify = new IdentifyMemoryDevice(FACTORY_REVISION, 4, 0, 4, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0);
        return MemdevView.of("mem0", 1L << 30, 0, 0, "0000:0d:00.0")
                .withFirmwareVersion(identify)
                .withFirmware(FACTORY_FW_INFO);
    }

    static FirmwareView firmware(int slots, int active, int staged, String... revisions) {
        return new FirmwareView(slots, active, staged, true, List.of(revisions), false, 0);
    }

    static String plain(MemdevView v) {
        return MemdevJson.list(List.of(v), false, true);
    }

    static String human(MemdevView v) {
        return MemdevJson.list(List.of(v), true, true);
    }

    @Nested
    class GoldenFromCliMd {

        @Test
        void listDashFPrintsTheFactoryDefaultArray() {
            assertThat(MemdevJson.list(List.of(factoryDefault()), false, false)).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "pmem_size":1073741824,
                        "serial":0,
                        "host":"0000:0d:00.0",
                        "firmware_version":"BWFW VERSION 0",
                        "firmware":{
                          "num_slots":2,
                          "active_slot":1,
                          "online_activate_capable":true,
                          "slot_1_version":"BWFW VERSION 0",
                          "fw_update_in_progress":false
                        }
                      }
                    ]
                    """);
        }

        @Test
        void humanSingleMemdevPrintsTheBareObject() {
            assertThat(MemdevJson.list(List.of(factoryDefault()), true, false)).isEqualTo("""
                    {
                      "memdev":"mem0",
                      "pmem_size":"1024.00 MiB (1073.74 MB)",
                      "serial":"0",
                      "host":"0000:0d:00.0",
                      "firmware_version":"BWFW VERSION 0",
                      "firmware":{
                        "num_slots":2,
                        "active_slot":1,
                        "online_activate_capable":true,
                        "slot_1_version":"BWFW VERSION 0",
                        "fw_update_in_progress":false
                      }
                    }
                    """);
        }

        @Test
        void humanObjectIsThePlainOneUnwrappedWithHumanNumbers() {
            String plain = MemdevJson.list(List.of(factoryDefault()), false, false);
            String unwrapped = plain.lines().skip(1).limit(plain.lines().count() - 2)
                    .map(l -> l.substring(2)).reduce("", (a, l) -> a + l + "\n");
            String expected = unwrapped.replace("\"pmem_size\":1073741824", "\"pmem_size\":\"1024.00 MiB (1073.74 MB)\"")
                    .replace("\"serial\":0", "\"serial\":\"0\"");
            assertThat(MemdevJson.list(List.of(factoryDefault()), true, false)).isEqualTo(expected);
        }
    }

    @Nested
    class Lists {

        final MemdevView mem1 = MemdevView.of("mem1", 0, 2L << 30, 2, "0000:0e:00.0")
                .withFirmwareVersion("BWFW VERSION 1");

        @Test
        void severalMemdevsPrintAsAnArrayInBothModes() {
            String expectedPlain = """
                    [
                      {
                        "memdev":"mem0",
                        "pmem_size":1073741824,
                        "serial":0,
                        "host":"0000:0d:00.0",
                        "firmware_version":"BWFW VERSION 0"
                      },
                      {
                        "memdev":"mem1",
                        "ram_size":2147483648,
                        "serial":2,
                        "host":"0000:0e:00.0",
                        "firmware_version":"BWFW VERSION 1"
                      }
                    ]
                    """;
            List<MemdevView> views = List.of(factoryDefault(), mem1);
            assertThat(MemdevJson.list(views, false, false, false)).isEqualTo(expectedPlain);
            assertThat(MemdevJson.list(views, true, false, false)).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "pmem_size":"1024.00 MiB (1073.74 MB)",
                        "serial":"0",
                        "host":"0000:0d:00.0",
                        "firmware_version":"BWFW VERSION 0"
                      },
                      {
                        "memdev":"mem1",
                        "ram_size":"2.00 GiB (2.15 GB)",
                        "serial":"0x2",
                        "host":"0000:0e:00.0",
                        "firmware_version":"BWFW VERSION 1"
                      }
                    ]
                    """);
        }

        @Test
        void theThreeArgumentListIncludesFirmwareWhenPresent() {
            List<MemdevView> views = List.of(factoryDefault(), mem1);
            assertThat(MemdevJson.list(views, false, false)).isEqualTo(MemdevJson.list(views, false, true, false));
            assertThat(MemdevJson.list(views, false, false)).contains("\"firmware\":{");
        }

        @Test
        void anEmptyListPrintsAnEmptyArrayInBothModes() {
            // cli.md: "[" and "]" on their own lines; ndctl itself prints nothing for -u with no match
            assertThat(MemdevJson.list(List.of(), false, false)).isEqualTo("[\n]\n");
            assertThat(MemdevJson.list(List.of(), true, true)).isEqualTo("[\n]\n");
        }

        @Test
        void aSingleMemdevStaysInAnArrayWithoutHuman() {
            assertThat(plain(mem1)).startsWith("[\n  {\n    \"memdev\":\"mem1\",").endsWith("  }\n]\n");
        }

        @Test
        void orderOfTheListIsKept() {
            String out = MemdevJson.list(List.of(mem1, factoryDefault()), false, false);
            assertThat(out.indexOf("mem1")).isLessThan(out.indexOf("mem0"));
        }

        @Test
        void displayChoosesBareObjectOnlyForOneHumanElement() {
            JsonC.Obj o = JsonC.object().put("a", 1).build();
            assertThat(MemdevJson.display(List.of(o), true)).isSameAs(o);
            assertThat(MemdevJson.display(List.of(o), false)).isEqualTo(JsonC.array(o));
            assertThat(MemdevJson.display(List.of(o, o), true)).isEqualTo(JsonC.array(o, o));
            assertThat(MemdevJson.display(List.of(), true)).isEqualTo(JsonC.array());
        }
    }

    @Nested
    class Sizes {

        @ParameterizedTest(name = "{0} bytes -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                0                   | 0
                1                   | 1
                4096                | 4096
                5119999             | 5119999
                5120000             | "4.88 MiB (5.12 MB)"
                5242880             | "5.00 MiB (5.24 MB)"
                6291456             | "6.00 MiB (6.29 MB)"
                268435456           | "256.00 MiB (268.44 MB)"
                1073741824          | "1024.00 MiB (1073.74 MB)"
                2147483647          | "2048.00 MiB (2147.48 MB)"
                2147483648          | "2.00 GiB (2.15 GB)"
                999999999999        | "931.32 GiB (1000.00 GB)"
                1099511627776       | "1024.00 GiB (1099.51 GB)"
                3298534895673       | "3072.00 GiB (3298.53 GB)"
                """)
        void humanSizesFollowNdctlsDisplaySize(long bytes, String expectedJson) {
            assertThat(JsonC.toPlainString(MemdevJson.humanSize(bytes))).isEqualTo(expectedJson);
            assertThat(JsonC.toPlainString(MemdevJson.size(bytes, true))).isEqualTo(expectedJson);
        }

        @Test
        void humanSizesTreatTheBitsAsUnsignedWithNdctlsWrapAround() {
            // ndctl computes bytes * 200 in unsigned 64 bits: at 2^63 that wraps to 0 GiB
            assertThat(JsonC.toPlainString(MemdevJson.humanSize(Long.MIN_VALUE)))
                    .isEqualTo("\"0.00 GiB (9223372036.85 GB)\"");
            assertThat(JsonC.toPlainString(MemdevJson.humanSize(-1)))
                    .isEqualTo("\"85899345.92 GiB (18446744073.71 GB)\"");
        }

        @Test
        void plainSizesAreSigned64BitIntegersAsJsonObjectNewInt64() {
            assertThat(MemdevJson.size(1L << 30, false)).isEqualTo(JsonC.integer(1L << 30));
            assertThat(JsonC.toPlainString(MemdevJson.size(-1, false))).isEqualTo("-1");
        }

        @Test
        void zeroSizesAreLeftOutNonZeroOnesAppear() {
            MemdevView none = MemdevView.of("mem3", 0, 0, 0, "h");
            assertThat(MemdevJson.object(none, false, true, true).keys())
                    .containsExactly("memdev", "serial", "host");
            MemdevView both = MemdevView.of("mem3", 1, 5120000, 0, "h");
            JsonC.Obj o = MemdevJson.object(both, true, true, true);
            assertThat(o.keys()).containsExactly("memdev", "pmem_size", "ram_size", "serial", "host");
            assertThat(o.get("pmem_size")).isEqualTo(JsonC.integer(1));
            assertThat(o.get("ram_size")).isEqualTo(JsonC.str("4.88 MiB (5.12 MB)"));
        }
    }

    @Nested
    class Serial {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                0                    | "0"
                2                    | "0x2"
                11259375             | "0xabcdef"
                -1                   | "0xffffffffffffffff"
                -9223372036854775808 | "0x8000000000000000"
                """)
        void humanSerialIsHashLlx(long serial, String expectedJson) {
            MemdevView v = MemdevView.of("mem0", 0, 0, serial, "h");
            assertThat(JsonC.toPlainString(MemdevJson.object(v, true, false, false).get("serial")))
                    .isEqualTo(expectedJson);
        }

        @Test
        void plainSerialIsASigned64BitInteger() {
            assertThat(MemdevJson.object(MemdevView.of("m", 0, 0, 2, "h"), false, false, false).get("serial"))
                    .isEqualTo(JsonC.integer(2));
            assertThat(JsonC.toPlainString(MemdevJson.hex(-1, false))).isEqualTo("-1");
        }
    }

    @Nested
    class FirmwareObject {

        MemdevView with(FirmwareView fw) {
            return MemdevView.of("mem0", 0, 0, 0, "h").withFirmware(fw);
        }

        List<String> firmwareKeys(FirmwareView fw) {
            return MemdevJson.firmware(fw, false).keys();
        }

        @Test
        void stagedSlotOnlyWhenWithinOneToNumSlots() {
            assertThat(firmwareKeys(firmware(2, 1, 0, "a"))).doesNotContain("staged_slot");
            assertThat(firmwareKeys(firmware(2, 1, 3, "a"))).doesNotContain("staged_slot");
            assertThat(firmwareKeys(firmware(4, 1, 5, "a"))).doesNotContain("staged_slot");
            assertThat(firmwareKeys(firmware(4, 1, 7, "a"))).doesNotContain("staged_slot");
            assertThat(MemdevJson.firmware(firmware(2, 1, 2, "a", "b"), false).get("staged_slot"))
                    .isEqualTo(JsonC.integer(2));
            assertThat(MemdevJson.firmware(firmware(4, 1, 4, "a"), false).get("staged_slot"))
                    .isEqualTo(JsonC.integer(4));
            assertThat(MemdevJson.firmware(firmware(2, 2, 1, "a", "b"), false).get("staged_slot"))
                    .isEqualTo(JsonC.integer(1));
        }

        @Test
        void stagedSlotFollowsActiveSlotAndPrecedesOnlineActivateCapable() {
            assertThat(firmwareKeys(firmware(2, 1, 2, "a", "b"))).containsExactly("num_slots", "active_slot",
                    "staged_slot", "online_activate_capable", "slot_1_version", "slot_2_version",
                    "fw_update_in_progress");
        }

        @Test
        void twoSlotsBothFilled() {
            assertThat(human(with(firmware(2, 1, 2, "BWFW VERSION 0", "BWFW VERSION 1")))).isEqualTo("""
                    {
                      "memdev":"mem0",
                      "serial":"0",
                      "host":"h",
                      "firmware":{
                        "num_slots":2,
                        "active_slot":1,
                        "staged_slot":2,
                        "online_activate_capable":true,
                        "slot_1_version":"BWFW VERSION 0",
                        "slot_2_version":"BWFW VERSION 1",
                        "fw_update_in_progress":false
                      }
                    }
                    """);
        }

        @Test
        void threeSlotsWithAGapSkipTheEmptyOne() {
            assertThat(firmwareKeys(firmware(3, 3, 0, "one", "", "three"))).containsExactly("num_slots",
                    "active_slot", "online_activate_capable", "slot_1_version", "slot_3_version",
                    "fw_update_in_progress");
        }

        @Test
        void fourSlotsAllFilled() {
            JsonC.Obj fw = MemdevJson.firmware(firmware(4, 4, 0, "r1", "r2", "r3", "r4"), false);
            assertThat(fw.keys()).containsExactly("num_slots", "active_slot", "online_activate_capable",
                    "slot_1_version", "slot_2_version", "slot_3_version", "slot_4_version", "fw_update_in_progress");
            assertThat(fw.get("slot_4_version")).isEqualTo(JsonC.str("r4"));
            assertThat(fw.get("num_slots")).isEqualTo(JsonC.integer(4));
            assertThat(fw.get("active_slot")).isEqualTo(JsonC.integer(4));
        }

        @Test
        void allSlotsEmptyGivesNoVersionKeys() {
            assertThat(firmwareKeys(firmware(2, 1, 0))).containsExactly("num_slots", "active_slot",
                    "online_activate_capable", "fw_update_in_progress");
        }

        @Test
        void onlineActivateCapableFalsePrintsFalse() {
            FirmwareView fw = new FirmwareView(2, 1, 0, false, List.of("a"), false, 0);
            assertThat(JsonC.toPlainString(MemdevJson.firmware(fw, false)))
                    .contains("\"online_activate_capable\":false");
        }

        @Test
        void inProgressAddsRemainingSizeAfterTheFlagAndNothingElse() {
            FirmwareView fw = FirmwareView.from(FACTORY_FW_INFO).inProgress(6291456);
            assertThat(plain(with(fw))).contains("""
                          "fw_update_in_progress":true,
                          "remaining_size":6291456
                        }
                    """);
            assertThat(human(with(fw))).contains("""
                        "fw_update_in_progress":true,
                        "remaining_size":"6.00 MiB (6.29 MB)"
                      }
                    """);
        }

        @Test
        void remainingSizeBelow5000KiBIsAPlainIntegerEvenInHumanMode() {
            FirmwareView fw = FirmwareView.from(FACTORY_FW_INFO).inProgress(4L << 20);
            assertThat(MemdevJson.firmware(fw, true).get("remaining_size")).isEqualTo(JsonC.integer(4L << 20));
            FirmwareView done = FirmwareView.from(FACTORY_FW_INFO).inProgress(0);
            assertThat(MemdevJson.firmware(done, true).get("remaining_size")).isEqualTo(JsonC.integer(0));
        }

        @Test
        void remainingSizeIsLeftOutWhenIdle() {
            FirmwareView fw = new FirmwareView(2, 1, 0, true, List.of("a"), false, 12345);
            assertThat(firmwareKeys(fw)).doesNotContain("remaining_size").endsWith("fw_update_in_progress");
        }

        @Test
        void everyFirmwareKeyAtOnceInCliMdOrder_andNoneButNdctls() {
            FirmwareView fw = new FirmwareView(4, 1, 2, true, List.of("a", "b", "c", "d"), true, 10);
            assertThat(firmwareKeys(fw)).containsExactly("num_slots", "active_slot", "staged_slot",
                    "online_activate_capable", "slot_1_version", "slot_2_version", "slot_3_version",
                    "slot_4_version", "fw_update_in_progress", "remaining_size");
        }

        @Test
        void firmwareAndVersionAreLeftOutWhenUnavailable() {
            MemdevView neither = factoryDefault().withoutFirmware().withoutFirmwareVersion();
            assertThat(plain(neither)).isEqualTo("""
                    [
                      {
                        "memdev":"mem0",
                        "pmem_size":1073741824,
                        "serial":0,
                        "host":"0000:0d:00.0"
                      }
                    ]
                    """);
            assertThat(MemdevJson.object(factoryDefault().withoutFirmware(), false, true, true).keys())
                    .containsExactly("memdev", "pmem_size", "serial", "host", "firmware_version");
            assertThat(MemdevJson.object(factoryDefault().withoutFirmwareVersion(), false, true, true).keys())
                    .containsExactly("memdev", "pmem_size", "serial", "host", "firmware");
        }

        @Test
        void withoutDashFTheFirmwareObjectIsHiddenButTheVersionStays() {
            assertThat(MemdevJson.object(factoryDefault(), false, false, true).keys())
                    .containsExactly("memdev", "pmem_size", "serial", "host", "firmware_version");
        }
    }

    @Nested
    class CxlkitObject {

        static final Instant STARTED = Instant.parse("2024-05-01T12:00:00Z");

        final FirmwareView running = new FirmwareView(4, 2, 3, false, List.of("A", "BWFW VERSION 1", "C/3", ""),
                true, 6291456);
        final UploadView runningUpload = new UploadView("transferring", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 3145728, 768, Optional.of(STARTED),
                Optional.empty());
        final MemdevView everything = MemdevView.of("mem1", 256L << 20, 2L << 30, 2, "0000:0e:00.0")
                .withFirmwareVersion("BWFW VERSION 1")
                .withFirmware(running)
                .withCxlkit(new CxlkitView(32L << 20, "signed", 3, List.of("media-disabled", "late-part"),
                        runningUpload));

        @Test
        void everyKeyPlain() {
            assertThat(MemdevJson.list(List.of(everything), false, true)).isEqualTo("""
                    [
                      {
                        "memdev":"mem1",
                        "pmem_size":268435456,
                        "ram_size":2147483648,
                        "serial":2,
                        "host":"0000:0e:00.0",
                        "firmware_version":"BWFW VERSION 1",
                        "firmware":{
                          "num_slots":4,
                          "active_slot":2,
                          "staged_slot":3,
                          "online_activate_capable":false,
                          "slot_1_version":"A",
                          "slot_2_version":"BWFW VERSION 1",
                          "slot_3_version":"C\\/3",
                          "fw_update_in_progress":true,
                          "remaining_size":6291456
                        },
                        "cxlkit":{
                          "fw_max_size":33554432,
                          "fw_verify":"signed",
                          "security_version_floor":3,
                          "faults":[
                            "media-disabled",
                            "late-part"
                          ],
                          "upload":{
                            "status":"transferring",
                            "bytes_sent":3145728,
                            "parts_sent":768,
                            "started":"2024-05-01T12:00:00.000Z"
                          }
                        }
                      }
                    ]
                    """);
        }

        @Test
        void everyKeyHumanKeepsTheCxlkitNumbersPlain() {
            assertThat(MemdevJson.list(List.of(everything), true, true)).isEqualTo("""
                    {
                      "memdev":"mem1",
                      "pmem_size":"256.00 MiB (268.44 MB)",
                      "ram_size":"2.00 GiB (2.15 GB)",
                      "serial":"0x2",
                      "host":"0000:0e:00.0",
                      "firmware_version":"BWFW VERSION 1",
                      "firmware":{
                        "num_slots":4,
                        "active_slot":2,
                        "staged_slot":3,
                        "online_activate_capable":false,
                        "slot_1_version":"A",
                        "slot_2_version":"BWFW VERSION 1",
                        "slot_3_version":"C\\/3",
                        "fw_update_in_progress":true,
                        "remaining_size":"6.00 MiB (6.29 MB)"
                      },
                      "cxlkit":{
                        "fw_max_size":33554432,
                        "fw_verify":"signed",
                        "security_version_floor":3,
                        "faults":[
                          "media-disabled",
                          "late-part"
                        ],
                        "upload":{
                          "status":"transferring",
                          "bytes_sent":3145728,
                          "parts_sent":768,
                          "started":"2024-05-01T12:00:00.000Z"
                        }
                      }
                    }
                    """);
        }

        @Test
        void afterAFailedUploadWithNoFaults_theErrorIsInTheCxlkitObjectOnly() {
            UploadView failed = new UploadView("idle", Optional.of("transferring:firmware-invalid"),
                    Optional.of("signed by key f3af909053e689d9, which is not trusted by this device"),
                    Optional.of("0201h"), Optional.of("000Ah"), Optional.of("FW Verification Failed"), 4194304, 2,
                    Optional.of(STARTED), Optional.of(Instant.parse("2024-05-01T12:00:01.5Z")));
            MemdevView v = factoryDefault()
                    .withFirmware(FirmwareView.from(FACTORY_FW_INFO))
                    .withCxlkit(new CxlkitView(32L << 20, "package", 0, List.of(), failed));
            assertThat(MemdevJson.list(List.of(v), true, true)).isEqualTo("""
                    {
                      "memdev":"mem0",
                      "pmem_size":"1024.00 MiB (1073.74 MB)",
                      "serial":"0",
                      "host":"0000:0d:00.0",
                      "firmware_version":"BWFW VERSION 0",
                      "firmware":{
                        "num_slots":2,
                        "active_slot":1,
                        "online_activate_capable":true,
                        "slot_1_version":"BWFW VERSION 0",
                        "fw_update_in_progress":false
                      },
                      "cxlkit":{
                        "fw_max_size":33554432,
                        "fw_verify":"package",
                        "security_version_floor":0,
                        "faults":[
                        ],
                        "upload":{
                          "status":"idle",
                          "error":"transferring:firmware-invalid",
                          "reason":"signed by key f3af909053e689d9, which is not trusted by this device",
                          "opcode":"0201h",
                          "return_code":"000Ah",
                          "return_code_name":"FW Verification Failed",
                          "bytes_sent":4194304,
                          "parts_sent":2,
                          "started":"2024-05-01T12:00:00.000Z",
                          "finished":"2024-05-01T12:00:01.500Z"
                        }
                      }
                    }
                    """);
        }

        @Test
        void theUploadKeysInTheirOrder_andTheResetObjectLast() {
            UploadView all = new UploadView("idle", Optional.of("transferring:firmware-invalid"),
                    Optional.of("bad magic"), Optional.of("0201h"), Optional.of("000Ah"),
                    Optional.of("FW Verification Failed"), 1, 1, Optional.of(STARTED), Optional.of(STARTED));
            assertThat(MemdevJson.upload(all).keys()).containsExactly("status", "error", "reason", "opcode",
                    "return_code", "return_code_name", "bytes_sent", "parts_sent", "started", "finished");
            CxlkitView afterReset = new CxlkitView(1, "signed", 0, List.of(), all)
                    .withReset(new MemdevView.ResetView(2, "the package is not signed"));
            assertThat(MemdevJson.cxlkit(afterReset).keys()).containsExactly("fw_max_size", "fw_verify",
                    "security_version_floor", "faults", "upload", "reset");
            assertThat(JsonC.toPlainString(MemdevJson.reset(afterReset.reset().orElseThrow())))
                    .isEqualTo("{\"staged_slot\":2,\"reason\":\"the package is not signed\"}");
            assertThat(MemdevJson.cxlkit(new CxlkitView(1, "signed", 0, List.of(), all)).keys()).doesNotContain("reset");
        }

        @Test
        void idleUploadHasOnlyStatusAndCounters() {
            assertThat(MemdevJson.upload(UploadView.IDLE).keys())
                    .containsExactly("status", "bytes_sent", "parts_sent");
            assertThat(JsonC.toPlainString(MemdevJson.upload(UploadView.IDLE)))
                    .isEqualTo("{\"status\":\"idle\",\"bytes_sent\":0,\"parts_sent\":0}");
        }

        @Test
        void cxlkitIsLastAndOnlyWhenRequested() {
            assertThat(MemdevJson.object(everything, false, true, true).keys()).last().isEqualTo("cxlkit");
            assertThat(MemdevJson.object(everything, false, false, true).keys()).last().isEqualTo("cxlkit");
            assertThat(MemdevJson.object(everything, false, true, false).keys()).doesNotContain("cxlkit");
            assertThat(MemdevJson.list(List.of(everything), false, false)).doesNotContain("cxlkit");
        }

        @Test
        void cxlkitRequestedButUnknownIsLeftOut() {
            assertThat(MemdevJson.object(factoryDefault(), false, true, true).keys()).doesNotContain("cxlkit");
        }

        @Test
        void timestampsAreUtcWithMillisecondsTruncated() {
            assertThat(MemdevJson.timestamp(Instant.parse("2024-05-01T12:00:00.123456789Z")))
                    .isEqualTo("2024-05-01T12:00:00.123Z");
            assertThat(MemdevJson.timestamp(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
            assertThat(Instant.parse(MemdevJson.timestamp(STARTED))).isEqualTo(STARTED);
        }
    }

    @Nested
    class Escaping {

        @Test
        void slashesQuotesAndControlCharactersInValuesAreEscapedAsJsonC() {
            MemdevView v = MemdevView.of("mem0", 0, 0, 0, "pci0000:0c/0000:0c:00.0")
                    .withFirmwareVersion("v\"1\"\\2\t\u0001")
                    .withFirmware(firmware(2, 1, 0, "a/b"));
            String out = plain(v);
            assertThat(out).contains("\"host\":\"pci0000:0c\\/0000:0c:00.0\",")
                    .contains("\"firmware_version\":\"v\\\"1\\\"\\\\2\\t\\u0001\",")
                    .contains("\"slot_1_version\":\"a\\/b\",");
            assertThat(StrictJsonParser.parse(out)).isInstanceOf(JsonC.Arr.class);
        }

        @Test
        void theFactoryOutputsAreValidJson() {
            for (boolean human : new boolean[] {false, true}) {
                String out = MemdevJson.list(List.of(factoryDefault()), human, true);
                assertThat(StrictJsonParser.parse(out)).isNotNull();
            }
        }
    }
}
