package io.cxlkit.device.cci;

import io.cxlkit.device.clock.DeviceClock;
import io.cxlkit.protocol.Cci;
import io.cxlkit.protocol.CommandResponse;
import io.cxlkit.protocol.Opcode;
import io.cxlkit.protocol.payload.BackgroundOperationStatus;
import io.cxlkit.protocol.regs.MemoryDeviceStatus;
import java.nio.ByteBuffer;

/**
 * What a command interface needs of its device: the mailbox registers and the MCTP CCI are
 * front ends that reach the device only through this port, so neither depends on the device class.
 */
public interface CciPort {

    /**
     * Runs one command from {@code cci}; blocks while zero-duration work runs, answers 0001h at
     * once for background work.
     *
     * @param declaredLength the input length the caller stated (may exceed the CCI's limit)
     */
    CommandResponse execute(Cci cci, Opcode opcode, int declaredLength, ByteBuffer input);

    /** What {@code cci} reports of the running background operation, else of its last one. */
    BackgroundOperationStatus backgroundStatus(Cci cci);

    /** The Event Status register's value (bit i: event log i holds a record). */
    long eventStatus();

    /** The Memory Device Status register's value. */
    MemoryDeviceStatus memoryDeviceStatus();

    /** The device's clock: the only source of time for anything the device models. */
    DeviceClock clock();
}
