package llmbook.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Readable text for a token's bytes: UTF-8 if it is whole characters, else {@code \xNN} for the stray bytes. */
final class Pieces {
    private Pieces() {}

    static String readable(byte[] b) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(b));
            return cb.toString();
        } catch (CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (byte x : b) {
                int v = x & 0xff;
                if (v >= 0x20 && v < 0x7f && v != '\\') sb.append((char) v);
                else sb.append(String.format("\\x%02x", v));
            }
            return sb.toString();
        }
    }
}
