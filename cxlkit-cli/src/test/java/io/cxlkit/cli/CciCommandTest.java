package io.cxlkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxlkit.server.Daemon;
import io.cxlkit.server.PlatformConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxlkit cci} against the embedded daemon's CCI endpoint: mem0 (EID 8) has instant timing,
 * mem1 (EID 9) realistic timing. Tests that change a device's firmware use mem1 only after its own
 * fresh daemon, so they do not disturb each other.
 */
class CciCommandTest {

    private static final String CEL = "0da9c0b5-bf41-4b78-8f79-96b1623b3f17";
    private static final String VLOG = "a8b4b3af-cd9f-445f-9985-1954419031a6";

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static EmbeddedDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = EmbeddedDaemon.start(shared.resolve("state"), EmbeddedDaemon.instant(0), EmbeddedDaemon.realistic(1));
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    private static Cli.Run cci(int eid, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "cci";
        all[1] = "--connect";
        all[2] = daemon.cci();
        all[3] = "--eid";
        all[4] = Integer.toString(eid);
        System.arraycopy(args, 0, all, 5, args.length);
        return Cli.run(all);
    }

    /** The output of a command to EID 8 answered 0000h, {@code payload} written compact. */
    private static String ok(String opcode, String payload) {
        return JsonCLayout.of("{\"eid\":8,\"opcode\":\"" + opcode + "\",\"return_code\":\"0000h\","
                + "\"return_code_name\":\"Success\",\"background\":false,\"payload\":" + payload + "}");
    }

    private static JsonNode json(Cli.Run r) throws Exception {
        return JsonTree.read(r.out());
    }

    @Test
    void identifyPrintsPrettyAsNdctlDoes() {
        Cli.Run r = cci(8, "identify");
        assertThat(r.out()).isEqualTo("""
                {
                  "eid":8,
                  "opcode":"0001h",
                  "return_code":"0000h",
                  "return_code_name":"Success",
                  "background":false,
                  "payload":{
                    "vendor_id":"1b36",
                    "device_id":"0d93",
                    "subsystem_vendor_id":"0000",
                    "subsystem_id":"0000",
                    "serial_number":0,
                    "max_message_size_exponent":10,
                    "component_type":3
                  }
                }
                """);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
    }

    @Test
    void optionsMayFollowTheCommand() {
        Cli.Run r = Cli.run("cci", "identify", "--connect", daemon.cci(), "--eid", "9");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("{\n  \"eid\":9,\n  \"opcode\":\"0001h\",\n").contains("\"serial_number\":1,\n");
        String tcp = daemon.cci().replace("tcp://", "tcp:");
        assertThat(Cli.run("cci", "--connect", tcp, "identify", "--eid", "8").exit()).isZero();
    }

    @Test
    void bgStatusWithNothingRun() {
        Cli.Run r = cci(8, "bg-status");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("{\n  \"eid\":8,\n  \"opcode\":\"0002h\",\n  \"return_code\":\"0000h\",\n")
                .contains("\"payload\":{\n    \"in_progress\":false,\n    \"percent_complete\":");
    }

    @Test
    void responseLimitGetAndSet() {
        assertThat(cci(8, "get-response-limit").out()).isEqualTo(ok("0003h", "{\"response_message_limit\":10}"));
        assertThat(cci(8, "set-response-limit", "10").out()).isEqualTo(ok("0004h", "{\"response_message_limit\":10}"));
    }

    @Test
    void aBadReturnCodeIsExit1WithOneLineAfterTheJson() {
        Cli.Run r = cci(8, "set-response-limit", "11");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("""
                {
                  "eid":8,
                  "opcode":"0004h",
                  "return_code":"0002h",
                  "return_code_name":"Invalid Input",
                  "background":false,
                  "payload":{
                  }
                }
                """);
        assertThat(r.errLines()).containsExactly(
                "cxlkit: cci set-response-limit: Set Response Message Limit: Invalid Input, 0002h");
    }

    @Test
    void requestAbortWithNothingRunning() {
        assertThat(cci(8, "request-abort").out()).isEqualTo(ok("0005h", "{}"));
    }

    @Test
    void getFwInfo() {
        Cli.Run r = cci(8, "get-fw-info");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("{\n  \"eid\":8,\n  \"opcode\":\"0200h\",\n  \"return_code\":\"0000h\",\n")
                .contains("\"payload\":{\n    \"slots_supported\":2,\n    \"active_slot\":1,\n    \"staged_slot\":",
                        "\"online_activation_supported\":true,\n    \"slot_1_revision\":\"BWFW VERSION 0\",\n"
                                + "    \"slot_2_revision\":");
    }

    @Test
    void timestampSetAndGet() throws Exception {
        assertThat(cci(8, "set-timestamp", "1234567890123").out()).isEqualTo(ok("0301h", "{}"));
        long got = json(cci(8, "get-timestamp")).path("payload").path("timestamp").asLong();
        assertThat(got).isGreaterThanOrEqualTo(1234567890123L).isLessThan(1234567890123L + 60_000_000_000L);

        long before = System.currentTimeMillis() * 1_000_000L;
        assertThat(cci(8, "set-timestamp").exit()).isZero();
        long now = json(cci(8, "get-timestamp")).path("payload").path("timestamp").asLong();
        assertThat(now).isBetween(before - 1_000_000_000L, before + 60_000_000_000L);
    }

    @Test
    void supportedLogsListTheCelAndTheVerificationLog() {
        assertThat(cci(8, "get-supported-logs").out()).isEqualTo(ok("0400h",
                "{\"number_of_entries\":2,\"entries\":[{\"log_id\":\"" + CEL + "\",\"log_size\":136},"
                        + "{\"log_id\":\"" + VLOG + "\",\"log_size\":16}]}"));
    }

    @Test
    void theVerificationLogIsReadAndDecoded() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("own"), 1)) {
            String[] base = {"cci", "--connect", d.cci(), "--eid", "8"};
            Path junk = Files.write(dir.resolve("junk"), new byte[300]);
            assertThat(Cli.run(concat(base, "transfer-fw", "--action", "full", "--slot", "2", "--data",
                    junk.toString())).out()).contains("\"return_code\":\"000Ah\"");
            assertThat(json(Cli.run(concat(base, "get-supported-logs"))).path("payload").path("entries").get(1)
                    .toString()).isEqualTo("{\"log_id\":\"" + VLOG + "\",\"log_size\":208}");

            Cli.Run whole = Cli.run(concat(base, "get-log", "--uuid", VLOG, "--length", "208"));
            assertThat(whole.exit()).isZero();
            JsonNode payload = json(whole).path("payload");
            assertThat(payload.path("data").asText()).hasSize(416).startsWith("0100c00001001000" + "01000000");
            assertThat(payload.path("header").toString())
                    .isEqualTo("{\"records_held\":1,\"capacity\":16,\"newest_sequence\":1}");
            JsonNode record = payload.path("records").get(0);
            List<String> keys = new java.util.ArrayList<>();
            record.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("sequence", "operation", "slot", "check", "timestamp", "reason");
            assertThat(record.path("sequence").asLong()).isEqualTo(1);
            assertThat(record.path("operation").asText()).isEqualTo("transfer");
            assertThat(record.path("slot").asInt()).isEqualTo(2);
            assertThat(record.path("check").asText()).isEqualTo("bad-magic");
            assertThat(record.path("timestamp").asLong()).isGreaterThan(1_700_000_000_000_000_000L);
            assertThat(record.path("reason").asText()).isEqualTo("bad magic");

            // a window of whole records decodes them without the header; a window inside one, only the hex
            Cli.Run second = Cli.run(concat(base, "get-log", "--uuid", VLOG, "--offset", "16", "--length", "192"));
            assertThat(json(second).path("payload").has("header")).isFalse();
            assertThat(json(second).path("payload").path("records").get(0)).isEqualTo(record);
            Cli.Run inside = Cli.run(concat(base, "get-log", "--uuid", VLOG, "--offset", "100", "--length", "50"));
            assertThat(json(inside).path("payload").path("records")).isEmpty();
            assertThat(json(inside).path("payload").path("data").asText())
                    .isEqualTo(payload.path("data").asText().substring(200, 300));

            Cli.Run beyond = Cli.run(concat(base, "get-log", "--uuid", VLOG, "--length", "209"));
            assertThat(beyond.exit()).isEqualTo(1);
            assertThat(beyond.out()).contains("\"return_code\":\"0002h\"");
        }
    }

    @Test
    void getLogPrintsLowerCaseHex() throws Exception {
        Cli.Run r = cci(8, "get-log", "--uuid", CEL, "--offset", "0", "--length", "136");
        assertThat(r.exit()).isZero();
        String data = json(r).path("payload").path("data").asText();
        assertThat(data).hasSize(272).matches("[0-9a-f]+").startsWith("01000000");

        Cli.Run tail = cci(8, "get-log", "--uuid", CEL, "--offset", "132", "--length", "4");
        assertThat(tail.out()).isEqualTo(ok("0401h", "{\"data\":\"" + data.substring(264) + "\"}"));

        Cli.Run tooLong = cci(8, "get-log", "--uuid", CEL, "--length", "137");
        assertThat(tooLong.exit()).isEqualTo(1);
        assertThat(tooLong.out()).contains("\"return_code\":\"0002h\"");
        assertThat(cci(8, "get-log", "--uuid", "00000000-0000-0000-0000-000000000000", "--length", "4").out())
                .contains("\"return_code\":\"0017h\"");
        assertThat(cci(8, "get-log", "--uuid", CEL).out()).isEqualTo(ok("0401h", "{\"data\":\"\"}"));
    }

    @Test
    void identifyMemdev() {
        assertThat(cci(8, "identify-memdev").out()).isEqualTo(ok("4000h", "{\"fw_revision\":\"BWFW VERSION 0\","
                + "\"total_capacity\":4,\"volatile_only_capacity\":0,\"persistent_only_capacity\":4,"
                + "\"partition_alignment\":0,\"info_event_log_size\":8,\"warning_event_log_size\":8,"
                + "\"failure_event_log_size\":8,\"fatal_event_log_size\":8,\"lsa_size\":131072,"
                + "\"poison_list_max_media_error_records\":256,\"inject_poison_limit\":0,"
                + "\"poison_handling_capabilities\":1,\"qos_telemetry_capabilities\":0,"
                + "\"dynamic_capacity_event_log_size\":0}"));
    }

    @Test
    void rawSendsAnyOpcodeAndPrintsHex() throws Exception {
        Cli.Run fw = cci(8, "raw", "--opcode", "0200h");
        assertThat(fw.exit()).isZero();
        String hex = json(fw).path("payload").asText();
        assertThat(hex).hasSize(160).startsWith("0201");

        assertThat(cci(8, "raw", "--opcode", "0x0301", "--payload", "00 01 02 03 04 05 06 07").out())
                .isEqualTo(ok("0301h", "\"\""));
        Cli.Run unsupported = cci(8, "raw", "--opcode", "ffff");
        assertThat(unsupported.exit()).isEqualTo(1);
        assertThat(unsupported.out()).isEqualTo(JsonCLayout.of("{\"eid\":8,\"opcode\":\"FFFFh\",\"return_code\":\"0003h\","
                + "\"return_code_name\":\"Unsupported\",\"background\":false,\"payload\":\"\"}"));
        assertThat(unsupported.errLines()).containsExactly("cxlkit: cci raw: FFFFh: Unsupported, 0003h");
    }

    @Test
    void noAnswerWithinTwoSecondsIsExit1() {
        long start = System.nanoTime();
        Cli.Run r = cci(200, "identify");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().startsWith("cxlkit: cci identify: ").contains("no answer");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_900_000_000L);
    }

    @Test
    void aMemdevIsFoundThroughTheDaemonOfTheStateDirectory() {
        String dir = daemon.stateDir.toString();
        Cli.Run r = Cli.run("cci", "mem0", "identify", "--state-dir", dir);
        assertThat(r.out()).isEqualTo(cci(8, "identify").out());
        assertThat(r.exit()).isZero();
        // N for memN, and --state-dir before the command as well as after it
        Cli.Run one = Cli.run("cci", "--state-dir", dir, "1", "get-fw-info");
        assertThat(one.exit()).isZero();
        assertThat(one.out()).startsWith("{\n  \"eid\":9,\n  \"opcode\":\"0200h\",\n  \"return_code\":\"0000h\",\n");
        // any MEMDEV word for one memdev, as every command reads them
        Cli.Run padded = Cli.run("cci", "mem001", "identify", "--state-dir", dir);
        assertThat(padded.exit()).isZero();
        assertThat(padded.out()).isEqualTo(cci(9, "identify").out());
        assertThat(Cli.run("cci", "all", "identify", "--state-dir", dir).errLines())
                .containsExactly("cxlkit: cci identify: no memdev matches all");
    }

    @Test
    void anUnknownMemdevIsExit1AndNothingIsSent() {
        Cli.Run r = Cli.run("cci", "mem9", "identify", "--state-dir", daemon.stateDir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: cci identify: no memdev matches mem9");
    }

    @Test
    void aMemdevWithoutADaemonIsExit1() {
        Path none = dir.resolve("none");
        Cli.Run r = Cli.run("cci", "mem0", "identify", "--state-dir", none.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: cci identify: no daemon running for " + none);
    }

    @Test
    void aMemdevAndConnectOrEidIsAUsageError() {
        Cli.Run r = Cli.run("cci", "mem0", "--connect", daemon.cci(), "identify");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give MEMDEV or --connect and --eid, not both");
        assertThat(Cli.run("cci", "mem0", "identify", "--eid", "8").exit()).isEqualTo(2);
    }

    @Test
    void anEidTheDaemonDoesNotServeOnItsOwnListenerIsSaidAtOnce() {
        long start = System.nanoTime();
        Cli.Run r = Cli.run("cci", "--connect", daemon.cci(), "--eid", "20", "identify", "--state-dir",
                daemon.stateDir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("cxlkit: cci identify: no device at EID 20 on "
                + daemon.cci() + "; the daemon serves EIDs 8..9 there");
        // not the two seconds of waiting for an answer that never comes
        assertThat(System.nanoTime() - start).isLessThan(1_900_000_000L);
    }

    @Test
    void nobodyListeningIsExit1() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Run r = Cli.run("cci", "--connect", "tcp:127.0.0.1:" + port, "--eid", "8", "identify");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("cxlkit: cci identify: cannot connect to tcp://127.0.0.1:" + port);
    }

    @Test
    void aMissingDataFileIsExit1() {
        Cli.Run r = cci(8, "transfer-fw", "--action", "full", "--slot", "2", "--data", dir.resolve("none").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("cxlkit: cci transfer-fw: " + dir.resolve("none")
                + ": no such file or directory");
    }

    /** Each firmware-changing test gets its own daemon, so slot contents are known. */
    @Test
    void transferFullThenActivateOnResetOnAnInstantDevice() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("own"), 1)) {
            Path pkg = Expected.packageFile(dir);
            String[] base = {"cci", "--connect", d.cci(), "--eid", "8"};
            Cli.Run full = Cli.run(concat(base, "transfer-fw", "--action", "full", "--slot", "2", "--data", pkg.toString()));
            assertThat(full.out()).isEqualTo(ok("0201h", "{}"));
            assertThat(full.exit()).isZero();

            Cli.Run activate = Cli.run(concat(base, "activate-fw", "--action", "reset", "--slot", "2"));
            assertThat(activate.out()).isEqualTo(ok("0202h", "{}"));
            assertThat(Cli.run(concat(base, "get-fw-info")).out()).isEqualTo(ok("0200h",
                    "{\"slots_supported\":2,\"active_slot\":1,\"staged_slot\":2,\"online_activation_supported\":true,"
                            + "\"slot_1_revision\":\"BWFW VERSION 0\",\"slot_2_revision\":\"BWFW VERSION 1\","
                            + "\"slot_3_revision\":\"\",\"slot_4_revision\":\"\"}"));
        }
    }

    @Test
    void multiPartTransferAndAbort() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("own"), 1)) {
            byte[] pkg = Expected.smallPackage();
            Path first = dir.resolve("part1");
            Path rest = dir.resolve("part2");
            Files.write(first, java.util.Arrays.copyOfRange(pkg, 0, 256));
            Files.write(rest, java.util.Arrays.copyOfRange(pkg, 256, pkg.length));
            String[] base = {"cci", "--connect", d.cci(), "--eid", "8"};
            assertThat(Cli.run(concat(base, "transfer-fw", "--action", "initiate", "--data", first.toString())).out())
                    .isEqualTo(ok("0201h", "{}"));
            assertThat(Cli.run(concat(base, "transfer-fw", "--action", "abort")).out()).isEqualTo(ok("0201h", "{}"));

            assertThat(Cli.run(concat(base, "transfer-fw", "--action", "initiate", "--data", first.toString())).exit())
                    .isZero();
            Cli.Run end = Cli.run(concat(base, "transfer-fw", "--action", "end", "--slot", "2", "--offset", "2",
                    "--data", rest.toString()));
            assertThat(end.out()).isEqualTo(ok("0201h", "{}"));
            assertThat(Cli.run(concat(base, "get-fw-info")).out()).contains("\"slot_2_revision\":\"BWFW VERSION 1\"");
        }
    }

    @Test
    void aBackgroundTransferOnARealisticDeviceAnswers0001hAndIsNotWaitedOn() throws Exception {
        try (EmbeddedDaemon d = EmbeddedDaemon.start(dir.resolve("own"), EmbeddedDaemon.instant(0),
                EmbeddedDaemon.realistic(1))) {
            Path pkg = Expected.packageFile(dir);
            String[] base = {"cci", "--connect", d.cci(), "--eid", "9"};
            Cli.Run full = Cli.run(concat(base, "transfer-fw", "--action", "full", "--slot", "2", "--data", pkg.toString()));
            assertThat(full.out()).isEqualTo(JsonCLayout.of("{\"eid\":9,\"opcode\":\"0201h\",\"return_code\":\"0001h\","
                    + "\"return_code_name\":\"Background Command Started\",\"background\":true,\"payload\":{}}"));
            assertThat(full.exit()).isZero();
            assertThat(full.err()).isEmpty();
            // 0001h is the answer of a command that went to the background: cci printed it and returned

            JsonNode status = json(Cli.run(concat(base, "bg-status"))).path("payload");
            assertThat(status.path("opcode").asText()).isEqualTo("0201h");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (status.path("in_progress").asBoolean() && System.nanoTime() < deadline) {
                assertThat(status.path("percent_complete").asInt()).isBetween(0, 99);
                Thread.sleep(20);
                status = json(Cli.run(concat(base, "bg-status"))).path("payload");
            }
            assertThat(status.path("in_progress").asBoolean()).isFalse();
            assertThat(status.path("percent_complete").asInt()).isEqualTo(100);
            assertThat(status.path("return_code").asText()).isEqualTo("0000h");
            assertThat(Cli.run(concat(base, "get-fw-info")).out()).contains("\"slot_2_revision\":\"BWFW VERSION 1\"");

            Cli.Run online = Cli.run(concat(base, "activate-fw", "--action", "online", "--slot", "2"));
            assertThat(online.exit()).isZero();
            assertThat(online.out()).contains("\"return_code\":\"0001h\"", "\"background\":true");
            Cli.Run busy = Cli.run(concat(base, "transfer-fw", "--action", "abort"));
            assertThat(busy.exit()).isEqualTo(1);
            assertThat(busy.errLines()).containsExactly("cxlkit: cci transfer-fw: Transfer FW: Busy, 0006h");
        }
    }

    @Test
    void aUnixSocketListenerWorksToo() throws Exception {
        Path socket = dir.resolve("cci.sock");
        PlatformConfig config = new PlatformConfig(dir.resolve("own"), List.of(EmbeddedDaemon.instant(0)),
                List.of("127.0.0.1:0"), Optional.of(socket), "127.0.0.1:0", 4);
        try (Daemon d = Daemon.start(config, w -> { })) {
            assertThat(d.info().cciListeners()).contains("unix:" + socket);
            Cli.Run r = Cli.run("cci", "--connect", "unix:" + socket, "--eid", "8", "get-response-limit");
            assertThat(r.out()).isEqualTo(ok("0003h", "{\"response_message_limit\":10}"));
        }
    }

    @Test
    void hexHelper() {
        assertThat(Hex.encode(new byte[] {0, (byte) 0xAB, 0x7f})).isEqualTo("00ab7f");
        assertThat(Hex.decode("00 AB\n7f")).isEqualTo(HexFormat.of().parseHex("00ab7f"));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

}
