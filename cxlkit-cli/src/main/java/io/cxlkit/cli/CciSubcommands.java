package io.cxlkit.cli;

import io.cxlkit.host.json.JsonC;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.ActivateFwAction;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.LogIds;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwAction;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands of {@code cxlkit cci}, one small class each. */
final class CciSubcommands {
    private CciSubcommands() {
    }

    /** The largest request payload one frame can carry (wire.md §1: 2^21 - 1). */
    static final int MAX_PAYLOAD = io.cxlkit.protocol.CciHeader.MAX_PAYLOAD_LENGTH;

    @Command(name = "identify", mixinStandardHelpOptions = true, description = "Identify (0001h).")
    static final class Identify extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.IDENTIFY.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.identify(output);
        }
    }

    @Command(name = "bg-status", mixinStandardHelpOptions = true, description = "Background Operation Status (0002h).")
    static final class BgStatus extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.BACKGROUND_OPERATION_STATUS.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.backgroundOperationStatus(output);
        }
    }

    @Command(name = "get-response-limit", mixinStandardHelpOptions = true,
            description = "Get Response Message Limit (0003h).")
    static final class GetResponseLimit extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.GET_RESPONSE_MESSAGE_LIMIT.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.responseMessageLimit(output);
        }
    }

    @Command(name = "set-response-limit", mixinStandardHelpOptions = true,
            description = "Set Response Message Limit (0004h) to 2^N bytes.")
    static final class SetResponseLimit extends CciSubcommand {
        @Parameters(paramLabel = "N", description = "the limit exponent n (responses up to 2^n bytes)")
        int exponent;

        @Override
        protected Opcode opcode() {
            return CommandId.SET_RESPONSE_MESSAGE_LIMIT.opcode();
        }

        @Override
        protected byte[] request() {
            requireUnsigned("N", exponent, 8);
            return new ResponseMessageLimit(exponent).encode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.responseMessageLimit(output);
        }
    }

    @Command(name = "request-abort", mixinStandardHelpOptions = true,
            description = "Request Abort Background Operation (0005h).")
    static final class RequestAbort extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.REQUEST_ABORT_BACKGROUND_OPERATION.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.none(output);
        }
    }

    @Command(name = "get-fw-info", mixinStandardHelpOptions = true, description = "Get FW Info (0200h).")
    static final class GetFwInfo extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.GET_FW_INFO.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.fwInfo(output);
        }
    }

    @Command(name = "transfer-fw", mixinStandardHelpOptions = true,
            description = "Transfer FW (0201h): one part, not waited on (0001h when it runs in the background).")
    static final class TransferFw extends CciSubcommand {
        @Option(names = "--action", paramLabel = "ACTION", required = true,
                completionCandidates = CompletionChoices.TransferFwActions.class,
                description = "full, initiate, continue, end or abort")
        String action;

        @Option(names = "--slot", paramLabel = "N", description = "the slot (Full and End; default 0)")
        int slot;

        @Option(names = "--offset", paramLabel = "UNITS", description = "the offset in 128-byte units (default 0)")
        long offset;

        @Option(names = "--data", paramLabel = "FILE", description = "the part's bytes (default none)")
        Path data;

        @Override
        protected Opcode opcode() {
            return CommandId.TRANSFER_FW.opcode();
        }

        @Override
        protected byte[] request() throws IOException {
            TransferFwAction a = switch (action.toLowerCase(Locale.ROOT)) {
                case "full" -> TransferFwAction.FULL;
                case "initiate" -> TransferFwAction.INITIATE;
                case "continue" -> TransferFwAction.CONTINUE;
                case "end" -> TransferFwAction.END;
                case "abort" -> TransferFwAction.ABORT;
                default -> throw usage("--action takes full, initiate, continue, end or abort, not '" + action + "'");
            };
            requireUnsigned("--slot", slot, 8);
            requireUnsigned("--offset", offset, 32);
            byte[] bytes = data == null ? new byte[0] : readData(data);
            return TransferFwRequest.of(a, slot, offset, ByteBuffer.wrap(bytes)).encode();
        }

        private static byte[] readData(Path file) throws IOException {
            int max = MAX_PAYLOAD - TransferFwRequest.HEADER_SIZE;
            if (Files.isDirectory(file)) {
                throw new Failure(file + " is a directory");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(max + 1);
                if (bytes.length > max) {
                    throw new Failure(file + ": above " + max + " bytes, more than one CCI message can carry");
                }
                return bytes;
            }
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.none(output);
        }
    }

    @Command(name = "activate-fw", mixinStandardHelpOptions = true,
            description = "Activate FW (0202h), not waited on (0001h when it runs in the background).")
    static final class ActivateFw extends CciSubcommand {
        @Option(names = "--action", paramLabel = "ACTION", required = true,
                completionCandidates = CompletionChoices.ActivateFwActions.class,
                description = "online (now) or reset (on the next cold reset)")
        String action;

        @Option(names = "--slot", paramLabel = "N", required = true, description = "the slot to activate")
        int slot;

        @Override
        protected Opcode opcode() {
            return CommandId.ACTIVATE_FW.opcode();
        }

        @Override
        protected byte[] request() {
            ActivateFwAction a = switch (action.toLowerCase(Locale.ROOT)) {
                case "online" -> ActivateFwAction.ONLINE;
                case "reset" -> ActivateFwAction.ON_NEXT_RESET;
                default -> throw usage("--action takes online or reset, not '" + action + "'");
            };
            requireUnsigned("--slot", slot, 8);
            return ActivateFwRequest.of(a, slot).encode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.none(output);
        }
    }

    @Command(name = "get-timestamp", mixinStandardHelpOptions = true, description = "Get Timestamp (0300h).")
    static final class GetTimestamp extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.GET_TIMESTAMP.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.timestamp(output);
        }
    }

    @Command(name = "set-timestamp", mixinStandardHelpOptions = true,
            description = "Set Timestamp (0301h) to NS nanoseconds since 1970 (default: now).")
    static final class SetTimestamp extends CciSubcommand {
        @Parameters(paramLabel = "NS", arity = "0..1", description = "nanoseconds since 1970-01-01 UTC (default now)")
        String nanos;

        @Override
        protected Opcode opcode() {
            return CommandId.SET_TIMESTAMP.opcode();
        }

        @Override
        protected byte[] request() {
            long ns;
            if (nanos == null) {
                Instant now = Instant.now();
                ns = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            } else {
                try {
                    ns = Long.parseUnsignedLong(nanos);
                } catch (NumberFormatException e) {
                    throw usage("NS must be an unsigned 64-bit number of nanoseconds, not '" + nanos + "'");
                }
            }
            return new Timestamp(ns).encode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.none(output);
        }
    }

    @Command(name = "get-supported-logs", mixinStandardHelpOptions = true, description = "Get Supported Logs (0400h).")
    static final class GetSupportedLogs extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.GET_SUPPORTED_LOGS.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.supportedLogs(output);
        }
    }

    @Command(name = "get-log", mixinStandardHelpOptions = true, description = "Get Log (0401h); data as lower-case hex, "
            + "cxlkit's Verification Log also decoded.")
    static final class GetLog extends CciSubcommand {
        @Option(names = "--uuid", paramLabel = "U", required = true,
                description = "the log, e.g. the CEL 0da9c0b5-bf41-4b78-8f79-96b1623b3f17 or cxlkit's "
                        + "Verification Log a8b4b3af-cd9f-445f-9985-1954419031a6")
        String uuid;

        @Option(names = "--offset", paramLabel = "O", description = "byte offset into the log (default 0)")
        long offset;

        @Option(names = "--length", paramLabel = "L", description = "bytes to read (default 0)")
        long length;

        @Override
        protected Opcode opcode() {
            return CommandId.GET_LOG.opcode();
        }

        @Override
        protected byte[] request() {
            UUID id;
            try {
                id = UUID.fromString(uuid);
            } catch (IllegalArgumentException e) {
                throw usage("--uuid: '" + uuid + "' is not a UUID");
            }
            requireUnsigned("--offset", offset, 32);
            requireUnsigned("--length", length, 32);
            return new GetLogRequest(id, offset, length).encode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            // request() has checked the UUID
            if (UUID.fromString(uuid).equals(LogIds.VERIFICATION_LOG_UUID)) {
                return CciPayloads.verificationLog(output, offset);
            }
            return CciPayloads.log(output);
        }
    }

    @Command(name = "identify-memdev", mixinStandardHelpOptions = true, description = "Identify Memory Device (4000h).")
    static final class IdentifyMemdev extends CciSubcommand {
        @Override
        protected Opcode opcode() {
            return CommandId.IDENTIFY_MEMORY_DEVICE.opcode();
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.identifyMemoryDevice(output);
        }
    }

    @Command(name = "raw", mixinStandardHelpOptions = true, description = "Any opcode with any payload; output as hex.")
    static final class Raw extends CciSubcommand {
        @Option(names = "--opcode", paramLabel = "HEX", required = true, description = "e.g. 0200h, 0x0200 or 0200")
        String opcodeText;

        @Option(names = "--payload", paramLabel = "HEX", description = "the request payload as hex (default none)")
        String payload;

        @Override
        protected Opcode opcode() {
            try {
                return Opcode.parse(opcodeText);
            } catch (IllegalArgumentException e) {
                throw usage("--opcode: '" + opcodeText + "' is not a 16-bit hex opcode");
            }
        }

        @Override
        protected byte[] request() {
            if (payload == null) {
                return new byte[0];
            }
            byte[] bytes;
            try {
                bytes = Hex.decode(payload);
            } catch (IllegalArgumentException e) {
                throw usage("--payload: " + e.getMessage());
            }
            if (bytes.length > MAX_PAYLOAD) {
                throw usage("--payload: above " + MAX_PAYLOAD + " bytes");
            }
            return bytes;
        }

        @Override
        protected JsonC.Value decode(ByteBuffer output) {
            return CciPayloads.raw(output);
        }

        @Override
        protected JsonC.Value undecoded(ByteBuffer output) {
            return CciPayloads.raw(output);
        }
    }
}
