package io.cxlkit.host.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlkit.device.CxlDevice;
import io.cxlkit.device.DeviceThreads;
import io.cxlkit.device.config.DeviceConfig;
import io.cxlkit.device.config.Timing;
import io.cxlkit.device.clock.VirtualClock;
import io.cxlkit.device.fw.PolicyChecker;
import io.cxlkit.device.persist.CrashHook;
import io.cxlkit.host.cci.CciClient;
import io.cxlkit.host.cci.FakeEndpoint;
import io.cxlkit.host.cci.SocketTransport;
import io.cxlkit.protocol.CciMessage;
import io.cxlkit.protocol.CommandId;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.ReturnCode;
import io.cxlkit.protocol.frame.FrameEncoder;
import io.cxlkit.protocol.fwpkg.FirmwarePackage;
import io.cxlkit.protocol.payload.TransferFwRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `cxlkit update-firmware --cci` does: the uploader over the socket transport, here to a real
 * device's MCTP CCI behind a fake endpoint (the server module is off limits to the host). The
 * device runs on a virtual clock that the endpoint moves 50 ms per status poll.
 */
class SocketUploadTest {

    @TempDir
    Path dir;

    private final VirtualClock clock = new VirtualClock();
    private CxlDevice device;
    private FakeEndpoint endpoint;
    private SocketTransport transport;

    private void open(DeviceConfig config) throws Exception {
        device = CxlDevice.open(config, dir.resolve("mem0"), clock, DeviceThreads.inline(), CrashHook.NONE,
                new PolicyChecker());
        endpoint = FakeEndpoint.tcp(r -> {
            if (r.message().opcode().equals(CommandId.BACKGROUND_OPERATION_STATUS.opcode())) {
                clock.advance(Duration.ofMillis(50));
            }
            CciMessage answer = device.mctp().handle(r.message());
            return List.of(FrameEncoder.encode(r.eid(), answer));
        });
        transport = SocketTransport.connect(endpoint.address(), 8);
    }

    @AfterEach
    void close() throws Exception {
        if (transport != null) {
            transport.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (device != null) {
            device.close();
        }
    }

    @Test
    void aPackageUploadedOverTheSocketIsStagedInSlot2() throws Exception {
        open(DeviceConfig.defaults(0));
        byte[] body = new byte[20_000];
        new Random(5).nextBytes(body);
        byte[] image = FirmwarePackage.builder().revision("BWFW VERSION 1").securityVersion(0).body(body).build()
                .toByteArray();
        Path file = dir.resolve("fw.img");
        Files.write(file, image);
        FirmwareUploader uploader = new FirmwareUploader(new CciClient(transport), Clock.systemUTC(), s -> { });

        UploadStatus end;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            end = uploader.begin(image.length).run(ch);
        }

        assertThat(end.error()).isEmpty();
        assertThat(transport.maxPayload()).isEqualTo(1024); // Identify: n = 10
        assertThat(end.partsSent()).isEqualTo((image.length + 895) / 896);
        assertThat(device.fwInfo().stagedSlot()).isEqualTo(2);
        assertThat(Files.readAllBytes(device.slotFile(2).orElseThrow())).isEqualTo(image);
    }

    @Test
    void aPartDroppedByAColdResetIsReportedInterruptedNotSuccess() throws Exception {
        open(DeviceConfig.defaults(0).toBuilder().timing(Timing.realistic().withPartTime(Duration.ofSeconds(60)))
                .build());
        CommandResponse started = transport.send(CommandId.TRANSFER_FW.opcode(),
                TransferFwRequest.initiate(0, ByteBuffer.allocate(256)).encode());
        assertThat(started.returnCode()).isEqualTo(ReturnCode.BACKGROUND_COMMAND_STARTED);

        device.coldReset();
        CommandResponse r = transport.awaitBackground(CommandId.TRANSFER_FW.opcode());

        assertThat(r.returnCode()).isEqualTo(ReturnCode.INTERRUPTED);
    }
}
