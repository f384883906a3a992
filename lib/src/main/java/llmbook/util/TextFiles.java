package llmbook.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading text that must be UTF-8, with an error that says which file, where and why: the JDK's own
 * {@code Files.readString} fails with a bare {@code Input length = 1}. Example:
 * <pre>
 *   TextFiles.readUtf8(Path.of("runs/gpt/config.json"), "model config")
 *   → IOException: model config runs/gpt/config.json is not UTF-8 text: byte 0xE9 at offset 3 is not valid UTF-8
 *     (Latin-1 or another encoding?)
 * </pre>
 * A NUL byte is refused too (binary data, or UTF-16): no file llmbook reads as text has one.
 */
public final class TextFiles {
    private TextFiles() {}

    /** The whole file as UTF-8 text; {@code what} names it in errors ("model config", "--text file"). */
    public static String readUtf8(Path file, String what) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new IOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
        String problem = utf8Problem(bytes);
        if (problem != null) throw new IOException(what + " " + file + " is not UTF-8 text: " + problem);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code bytes} decoded as UTF-8; {@code what} ("standard input") names them in errors. */
    public static String decodeUtf8(byte[] bytes, String what) throws IOException {
        String problem = utf8Problem(bytes);
        if (problem != null) throw new IOException(what + " is not UTF-8 text: " + problem);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Why {@code bytes} are not UTF-8 text, with the byte offset, or null if they are. */
    static String utf8Problem(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(8192);
        CoderResult r;
        do {
            out.clear();
            r = d.decode(in, out, true);                     // end of input: a cut-off last character is an error too
        } while (r.isOverflow());
        if (r.isError()) {
            int at = in.position();
            String which = r.length() == 1 ? String.format("byte 0x%02X", bytes[at] & 0xff)
                    : String.format("%d bytes starting with 0x%02X", r.length(), bytes[at] & 0xff);
            return which + " at offset " + at + " is not valid UTF-8 (Latin-1 or another encoding, or binary data?)";
        }
        for (int i = 0; i < bytes.length; i++)
            if (bytes[i] == 0) return "a NUL byte at offset " + i + " (binary data, or UTF-16?)";
        return null;
    }
}
