package io.qnsp.ai.injection;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detections every tenant gets: instruction-override phrases, role switching and jailbreak modes, role
 * markers, system-prompt exfiltration, and encoded payloads (base64, {@code \xNN} or {@code %NN} runs) whose
 * decoded text is examined with the same heuristics. Every expression here is written to match in linear time
 * (bounded gaps, no nested repetition); the phrases also run under the same budget as a tenant's patterns, the
 * encoded-run finders (one repeated character class each) on the plain text.
 */
final class BuiltInHeuristics {

    record Heuristic(String id, String category, String severity, Pattern pattern) {
    }

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    static final List<Heuristic> PHRASES = List.of(
            new Heuristic("builtin:instruction-override", "instruction_override", "high", Pattern.compile(
                    "\\b(?:ignore|disregard|forget|override|bypass)\\b[^\\n]{0,40}?"
                            + "\\b(?:instructions?|rules|prompts?|directives|guidelines|constraints)\\b", FLAGS)),
            new Heuristic("builtin:new-instructions", "instruction_override", "medium", Pattern.compile(
                    "\\b(?:new|updated|real|actual)\\s{1,5}instructions?\\s{0,5}:", FLAGS)),
            new Heuristic("builtin:role-switch", "jailbreak", "high", Pattern.compile(
                    "\\b(?:you\\s{1,5}are\\s{1,5}now|from\\s{1,5}now\\s{1,5}on\\s{1,5}you|pretend\\s{1,5}"
                            + "(?:to\\s{1,5}be|you\\s{1,5}are)|act\\s{1,5}as\\s{1,5}(?:an?\\s{1,5})?"
                            + "(?:unrestricted|unfiltered|uncensored|jailbroken|evil)|roleplay\\s{1,5}as)\\b", FLAGS)),
            new Heuristic("builtin:jailbreak-mode", "jailbreak", "high", Pattern.compile(
                    "\\b(?:do\\s{1,5}anything\\s{1,5}now|developer\\s{1,5}mode|jailbr(?:oken|eak)|god\\s{1,5}mode"
                            + "|no\\s{1,5}(?:restrictions|filters|rules)\\s{1,5}apply)\\b", FLAGS)),
            new Heuristic("builtin:role-marker", "jailbreak", "medium", Pattern.compile(
                    "(?:^|\\n)[ \\t]{0,10}(?:system|assistant)[ \\t]{0,3}:|<\\|im_start\\|>[ \\t]{0,3}system"
                            + "|\\[/?(?:system|inst)\\]", FLAGS)),
            new Heuristic("builtin:system-prompt-exfiltration", "data_extraction", "high", Pattern.compile(
                    "\\b(?:reveal|show|print|repeat|output|display|tell\\s{1,5}me|what\\s{1,5}(?:is|are|was)"
                            + "|give\\s{1,5}me|leak|dump)\\b[^\\n]{0,30}?\\b(?:system\\s{1,5}prompt"
                            + "|(?:initial|hidden|original|secret)\\s{1,5}(?:prompt|instructions)"
                            + "|your\\s{1,5}(?:instructions|prompt|rules))", FLAGS)),
            new Heuristic("builtin:verbatim-exfiltration", "data_extraction", "medium", Pattern.compile(
                    "\\b(?:repeat|print|output)\\s{1,5}(?:everything|all\\s{1,5}(?:the\\s{1,5})?text|the\\s{1,5}"
                            + "(?:text|words))\\s{1,5}(?:above|before)\\b", FLAGS)));

    static final String ENCODED_ID = "builtin:encoded-payload";
    static final int MAX_ENCODED_SHOWN = 200;
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{24,}={0,2}");
    private static final Pattern HEX_ESCAPES = Pattern.compile("(?:\\\\x[0-9a-fA-F]{2}){8,}");
    private static final Pattern PERCENT = Pattern.compile("(?:%[0-9a-fA-F]{2}){8,}");

    /** A run of encoded text that decodes to readable text, and that decoded text. */
    record EncodedPayload(String encoded, String decoded) {
    }

    private BuiltInHeuristics() {
    }

    /** Runs of base64, hex escapes or percent-encoding in the text that decode to readable text. */
    static List<EncodedPayload> encodedPayloads(CharSequence text) {
        List<EncodedPayload> payloads = new ArrayList<>();
        collect(BASE64.matcher(text), payloads, run -> Base64.getDecoder().decode(run.length() % 4 == 0 ? run
                : run.substring(0, run.length() - run.length() % 4)));
        collect(HEX_ESCAPES.matcher(text), payloads, run -> bytes(run, 4, 2));
        collect(PERCENT.matcher(text), payloads, run -> bytes(run, 3, 1));
        return payloads;
    }

    private static void collect(Matcher matcher, List<EncodedPayload> payloads, Function<String, byte[]> decode) {
        while (matcher.find()) {
            String run = matcher.group();
            try {
                String decoded = readable(decode.apply(run));
                if (decoded != null) {
                    payloads.add(new EncodedPayload(run, decoded));
                }
            } catch (IllegalArgumentException e) {
                // not decodable after all: plain text that happens to look encoded
            }
        }
    }

    /** Bytes of a run of fixed-width escapes ({@code \xNN}: width 4, offset 2; {@code %NN}: width 3, offset 1). */
    private static byte[] bytes(String run, int width, int offset) {
        byte[] bytes = new byte[run.length() / width];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(run.substring(i * width + offset, i * width + offset + 2), 16);
        }
        return bytes;
    }

    /** The bytes as text when they are valid UTF-8 of which at least 90% is printable; otherwise null. */
    private static String readable(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (text.isEmpty()) {
            return null;
        }
        long printable = text.chars().filter(c -> c == '\n' || c == '\t' || (c >= ' ' && c != 0x7f)).count();
        return printable >= 0.9 * text.length() ? text : null;
    }
}
