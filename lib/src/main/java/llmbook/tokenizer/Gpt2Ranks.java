package llmbook.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * GPT-2's real vocabulary (and GPT-4's, cl100k_base): the r50k_base ranks, read from the resource JTokkit ships in its jar
 * (one line per token: base64 of the token's bytes, a space, its rank). Only the data is taken
 * from JTokkit; the encoding is done by {@link BpeTokenizer}. Loaded once, on first use.
 */
final class Gpt2Ranks {
    static final String RESOURCE = "/com/knuddels/jtokkit/r50k_base.tiktoken";
    static final String END_OF_TEXT = "<|endoftext|>";
    static final int END_OF_TEXT_ID = 50256;

    private Gpt2Ranks() {}

    private static final class Holder {
        static final BpeTokenizer GPT2 = BpeTokenizer.fromRanks("gpt2", SplitPattern.GPT2, read(RESOURCE, 50256),
                Map.of(END_OF_TEXT, END_OF_TEXT_ID));
    }

    static BpeTokenizer tokenizer() {
        return Holder.GPT2;
    }

    private static final class Cl100kHolder {
        static final BpeTokenizer CL100K = BpeTokenizer.fromRanks("cl100k", SplitPattern.CL100K,
                read("/com/knuddels/jtokkit/cl100k_base.tiktoken", 100256),
                java.util.Map.of(END_OF_TEXT, 100257, "<|fim_prefix|>", 100258, "<|fim_middle|>", 100259,
                        "<|fim_suffix|>", 100260, "<|endofprompt|>", 100276));
    }

    static BpeTokenizer cl100k() {
        return Cl100kHolder.CL100K;
    }

    /** Reads a tiktoken ranks file of exactly {@code expected} tokens (ranks 0..expected-1). */
    static byte[][] read(String resource, int expected) {
        InputStream in = Gpt2Ranks.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("resource " + resource + " not found: is the jtokkit jar on the classpath?");
        }
        byte[][] tokens = new byte[expected][];
        Base64.Decoder b64 = Base64.getDecoder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) continue;
                int sp = line.indexOf(' ');
                if (sp < 0) throw new IllegalStateException(resource + " line " + lineNo + ": no space in '" + line + "'");
                int rank = Integer.parseInt(line.substring(sp + 1));
                if (rank < 0 || rank >= expected) {
                    throw new IllegalStateException(resource + " line " + lineNo + ": rank " + rank + " outside [0, " + expected + ")");
                }
                tokens[rank] = b64.decode(line.substring(0, sp));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < expected; i++) {
            if (tokens[i] == null) throw new IllegalStateException(resource + " has no token of rank " + i);
        }
        return tokens;
    }
}
