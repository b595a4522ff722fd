package org.spidernet.deploy.onnx;

/**
 * A network or its weights that cannot be written as an ONNX model, with a one-line message
 * naming the node and op (or weight entry) at fault. An {@link IllegalArgumentException}: it is
 * always the caller's input that is refused, never an I/O failure.
 */
public final class OnnxExportException extends IllegalArgumentException {

    public OnnxExportException(String message) {
        super(message);
    }
}
