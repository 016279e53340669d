package io.cxlkit.device.persist;

/** Thrown by a test's {@link CrashHook} to stop persistence mid-way; an Error so no catch block eats it. */
public final class SimulatedCrash extends Error {
    public SimulatedCrash(String point) {
        super("simulated crash at " + point, null, false, false);
    }
}
