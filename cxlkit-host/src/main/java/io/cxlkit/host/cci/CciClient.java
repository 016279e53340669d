package io.cxlkit.host.cci;

import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.payload.ActivateFwRequest;
import io.cxlkit.protocol.payload.AlertConfig;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.payload.ClearPoisonRequest;
import io.cxlkit.protocol.payload.FwInfo;
import io.cxlkit.protocol.payload.GetPoisonListRequest;
import io.cxlkit.protocol.payload.GetPoisonListResponse;
import io.cxlkit.protocol.payload.InjectPoisonRequest;
import io.cxlkit.protocol.payload.SecurityState;
import io.cxlkit.protocol.payload.GetLogRequest;
import io.cxlkit.protocol.payload.GetLsaRequest;
import io.cxlkit.protocol.payload.HealthInfo;
import io.cxlkit.protocol.payload.Identify;
import io.cxlkit.protocol.payload.IdentifyMemoryDevice;
import io.cxlkit.protocol.payload.MalformedPayloadException;
import io.cxlkit.protocol.payload.PartitionInfo;
import io.cxlkit.protocol.payload.ResponseMessageLimit;
import io.cxlkit.protocol.payload.SetAlertConfigRequest;
import io.cxlkit.protocol.payload.SetLsaRequest;
import io.cxlkit.protocol.payload.SetPartitionInfoRequest;
import io.cxlkit.protocol.payload.ShutdownState;
import io.cxlkit.protocol.payload.SupportedLogs;
import io.cxlkit.protocol.payload.SupportedLogsSubList;
import io.cxlkit.protocol.payload.SupportedLogsSubListRequest;
import io.cxlkit.protocol.payload.Timestamp;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Function;

/**
 * One typed method per command, like libcxlmi: each sends the command over the transport, waits
 * for a background command to finish, and returns the decoded output, or throws
 * {@link CciCommandException} with the return code when the device refuses.
 */
public final class CciClient implements AutoCloseable {

    private final CciTransport transport;

    public CciClient(CciTransport transport) {
        this.transport = transport;
    }

    public CciTransport transport() {
        return transport;
    }

    public Identify identify() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.IDENTIFY, new byte[0], Identify::decode);
    }

    public BackgroundOperationStatus backgroundOperationStatus()
            throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.BACKGROUND_OPERATION_STATUS, new byte[0], BackgroundOperationStatus::decode);
    }

    public int getResponseMessageLimit() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_RESPONSE_MESSAGE_LIMIT, new byte[0], ResponseMessageLimit::decode).exponent();
    }

    public int setResponseMessageLimit(int exponent) throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.SET_RESPONSE_MESSAGE_LIMIT, new ResponseMessageLimit(exponent).encode(),
                ResponseMessageLimit::decode).exponent();
    }

    public void requestAbortBackgroundOperation() throws IOException, InterruptedException, CciCommandException {
        call(CommandId.REQUEST_ABORT_BACKGROUND_OPERATION, new byte[0], b -> null);
    }

    public FwInfo getFwInfo() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_FW_INFO, new byte[0], FwInfo::decode);
    }

    /** One Transfer FW part (or Full, or Abort), waited on if it runs in the background. */
    public CommandResponse transferFw(TransferFwRequest request) throws IOException, InterruptedException, CciCommandException {
        return checked(CommandId.TRANSFER_FW, transport.execute(CommandId.TRANSFER_FW.opcode(), request.encode()));
    }

    /** Transfer FW with an input already encoded ({@link TransferFwRequest#encodeHeaderInPlace}). */
    public CommandResponse transferFw(byte[] encodedInput) throws IOException, InterruptedException, CciCommandException {
        return checked(CommandId.TRANSFER_FW, transport.execute(CommandId.TRANSFER_FW.opcode(), encodedInput));
    }

    public CommandResponse activateFw(ActivateFwRequest request) throws IOException, InterruptedException, CciCommandException {
        return checked(CommandId.ACTIVATE_FW, transport.execute(CommandId.ACTIVATE_FW.opcode(), request.encode()));
    }

    public long getTimestamp() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_TIMESTAMP, new byte[0], Timestamp::decode).nanos();
    }

    public void setTimestamp(long nanos) throws IOException, InterruptedException, CciCommandException {
        call(CommandId.SET_TIMESTAMP, new Timestamp(nanos).encode(), b -> null);
    }

    public SupportedLogs getSupportedLogs() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_SUPPORTED_LOGS, new byte[0], SupportedLogs::decode);
    }

    public SupportedLogsSubList getSupportedLogsSubList(int maxEntries, int startIndex)
            throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_SUPPORTED_LOGS_SUB_LIST,
                new SupportedLogsSubListRequest(maxEntries, startIndex).encode(), SupportedLogsSubList::decode);
    }

    public byte[] getLog(UUID log, long offset, long length)
            throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_LOG, new GetLogRequest(log, offset, length).encode(), b -> {
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        });
    }

    public IdentifyMemoryDevice identifyMemoryDevice() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.IDENTIFY_MEMORY_DEVICE, new byte[0], IdentifyMemoryDevice::decode);
    }

    public PartitionInfo getPartitionInfo() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_PARTITION_INFO, new byte[0], PartitionInfo::decode);
    }

    public void setPartitionInfo(SetPartitionInfoRequest request)
            throws IOException, InterruptedException, CciCommandException {
        call(CommandId.SET_PARTITION_INFO, request.encode(), b -> null);
    }

    /**
     * Get LSA: {@code length} bytes of the Label Storage Area from {@code offset}; an answer of
     * another length is malformed.
     */
    public byte[] getLsa(long offset, int length) throws IOException, InterruptedException, CciCommandException {
        byte[] out = call(CommandId.GET_LSA, new GetLsaRequest(offset, length).encode(), b -> {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        });
        if (out.length != length) {
            throw new IOException(transport.describe() + ": malformed Get LSA output: " + out.length
                    + " bytes for " + length);
        }
        return out;
    }

    /** Set LSA: {@code length} bytes of {@code data} from {@code from}, written at {@code offset}. */
    public void setLsa(long offset, byte[] data, int from, int length)
            throws IOException, InterruptedException, CciCommandException {
        call(CommandId.SET_LSA, new SetLsaRequest(offset, ByteBuffer.wrap(data, from, length)).encode(), b -> null);
    }

    public HealthInfo getHealthInfo() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_HEALTH_INFO, new byte[0], HealthInfo::decode);
    }

    public AlertConfig getAlertConfig() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_ALERT_CONFIGURATION, new byte[0], AlertConfig::decode);
    }

    public void setAlertConfig(SetAlertConfigRequest request)
            throws IOException, InterruptedException, CciCommandException {
        call(CommandId.SET_ALERT_CONFIGURATION, request.encode(), b -> null);
    }

    public ShutdownState getShutdownState() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_SHUTDOWN_STATE, new byte[0], ShutdownState::decode);
    }

    public void setShutdownState(ShutdownState state) throws IOException, InterruptedException, CciCommandException {
        call(CommandId.SET_SHUTDOWN_STATE, state.encode(), b -> null);
    }

    public GetPoisonListResponse getPoisonList(GetPoisonListRequest request)
            throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_POISON_LIST, request.encode(), GetPoisonListResponse::decode);
    }

    public void injectPoison(InjectPoisonRequest request) throws IOException, InterruptedException, CciCommandException {
        call(CommandId.INJECT_POISON, request.encode(), b -> null);
    }

    public void clearPoison(ClearPoisonRequest request) throws IOException, InterruptedException, CciCommandException {
        call(CommandId.CLEAR_POISON, request.encode(), b -> null);
    }

    public SecurityState getSecurityState() throws IOException, InterruptedException, CciCommandException {
        return call(CommandId.GET_SECURITY_STATE, new byte[0], SecurityState::decode);
    }

    /** Secure Erase: synchronous, no payload either way. */
    public void secureErase() throws IOException, InterruptedException, CciCommandException {
        call(CommandId.SECURE_ERASE, new byte[0], b -> null);
    }

    private <T> T call(CommandId id, byte[] input, Function<ByteBuffer, T> decode)
            throws IOException, InterruptedException, CciCommandException {
        CommandResponse r = checked(id, transport.execute(id.opcode(), input));
        try {
            return decode.apply(ByteBuffer.wrap(r.output()));
        } catch (MalformedPayloadException e) {
            throw new IOException(transport.describe() + ": malformed " + id.specName() + " output: " + e.getMessage());
        }
    }

    private static CommandResponse checked(CommandId id, CommandResponse r) throws CciCommandException {
        if (!r.success()) {
            throw new CciCommandException(id.opcode(), r.returnCode());
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
