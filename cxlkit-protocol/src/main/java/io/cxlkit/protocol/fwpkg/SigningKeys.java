package io.cxlkit.protocol.fwpkg;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/** New Ed25519 key pairs for signing packages: the one place that asks the JDK for one. */
public final class SigningKeys {
    private SigningKeys() {
    }

    /** A fresh Ed25519 key pair. */
    public static KeyPair newPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no Ed25519", e);
        }
    }
}
