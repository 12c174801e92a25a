package io.qnsp.storage.object;

import io.qnsp.common.error.InvalidField;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The request body could not be read to its end (the client went away, or sent less than it declared). */
class UploadBroken extends InvalidField {

    UploadBroken() {
        super("body", "could not be read to its end; nothing was stored");
    }

    /** The body as a stream whose read failures are told apart from the volume's write failures. */
    static InputStream tracking(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw new Failed(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw new Failed(e);
                }
            }
        };
    }

    /** A read of the request body failed. */
    static final class Failed extends IOException {

        Failed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
