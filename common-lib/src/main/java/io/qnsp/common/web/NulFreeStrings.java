package io.qnsp.common.web;

import io.qnsp.common.error.InvalidField;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Jackson module that refuses a JSON string holding a NUL character ({@code "\u0000"}) wherever a {@code String}
 * is read, with 400 {@code invalid_request} naming the field (as {@code a.b[0].c}). PostgreSQL stores no NUL in any
 * text value, so such a value could only fail later as an internal error.
 */
final class NulFreeStrings extends SimpleModule {

    NulFreeStrings() {
        super("qnsp-nul-free-strings");
        addDeserializer(String.class, new Deserializer());
    }

    private static final class Deserializer extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = super.deserialize(parser, context);
            if (value != null && value.indexOf('\u0000') >= 0) {
                throw new InvalidField(field(parser.streamReadContext()), NulCharacterFilter.PROBLEM);
            }
            return value;
        }

        /** The field being read, as the platform's error details spell it ({@code body} at the top level). */
        private static String field(TokenStreamContext context) {
            java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
            for (TokenStreamContext current = context; current != null && !current.inRoot();
                 current = current.getParent()) {
                if (current.inArray()) {
                    segments.push("[" + current.getCurrentIndex() + "]");
                } else if (current.currentName() != null) {
                    segments.push(current.currentName());
                }
            }
            StringBuilder path = new StringBuilder();
            for (String segment : segments) {
                if (!path.isEmpty() && !segment.startsWith("[")) {
                    path.append('.');
                }
                path.append(segment);
            }
            return path.isEmpty() ? "body" : path.toString();
        }
    }
}
