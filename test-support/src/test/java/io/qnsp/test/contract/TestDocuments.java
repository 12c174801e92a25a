package io.qnsp.test.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** A small, valid document of a keys API, and variants of it with one thing changed. */
final class TestDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDocuments() {
    }

    static String keysApi() {
        return keysApi(document -> {
        });
    }

    static String keysApi(Consumer<ObjectNode> change) {
        try (InputStream in = TestDocuments.class.getResourceAsStream("/contract/keys-api.json")) {
            ObjectNode document = (ObjectNode) JSON.readTree(in);
            change.accept(document);
            return JSON.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode operation(ObjectNode document, String path, String method) {
        return (ObjectNode) document.path("paths").path(path).path(method);
    }
}
