package io.qnsp.ai.bias;

/** Reading a dataset given as a {@code data:} URI. */
public final class DataUris {

    private DataUris() {
    }

    /** The CSV text the URI holds, or an {@link io.qnsp.common.error.InvalidField} naming the field. */
    public static String csv(String uri, String field) {
        return BiasDataset.fromDataUri(uri, field);
    }
}
