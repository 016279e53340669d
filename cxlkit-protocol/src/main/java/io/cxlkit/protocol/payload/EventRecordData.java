package io.cxlkit.protocol.payload;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The format-specific part of an event record: the {@link EventRecord#DATA_SIZE} bytes at record
 * offset 30h, whose layout the record's identifier names. cxlkit produces two formats.
 */
public sealed interface EventRecordData permits GeneralMediaEvent, MemoryModuleEvent {

    /** The Event Record Identifier of this format. */
    UUID identifier();

    /** Writes {@link EventRecord#DATA_SIZE} bytes at {@code out}'s position, advancing it. */
    void encodeTo(ByteBuffer out);

    /** The {@link EventRecord#DATA_SIZE} bytes. */
    default byte[] encode() {
        byte[] bytes = new byte[EventRecord.DATA_SIZE];
        encodeTo(ByteBuffer.wrap(bytes));
        return bytes;
    }
}
