package llmbook.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, item 6: text that is not UTF-8 is refused naming the file, the byte and its offset. */
class TextFilesTest {
    @TempDir Path dir;

    @Test
    void readsUtf8() throws IOException {
        Path f = dir.resolve("ok.txt");
        Files.writeString(f, "héllo ☃ 😀");
        assertEquals("héllo ☃ 😀", TextFiles.readUtf8(f, "text"));
        assertEquals("", TextFiles.decodeUtf8(new byte[0], "input"));
    }

    @Test
    void namesTheFileTheByteAndItsOffset() throws IOException {
        Path f = dir.resolve("latin1.txt");
        Files.write(f, "naïve".getBytes(StandardCharsets.ISO_8859_1));
        var e = assertThrows(IOException.class, () -> TextFiles.readUtf8(f, "--text file"));
        assertEquals("--text file " + f + " is not UTF-8 text: byte 0xEF at offset 2 is not valid UTF-8 "
                + "(Latin-1 or another encoding, or binary data?)", e.getMessage());
        assertEquals("--text file " + dir.resolve("none") + " does not exist",
                assertThrows(IOException.class, () -> TextFiles.readUtf8(dir.resolve("none"), "--text file")).getMessage());
    }

    @Test
    void aCutOffCharacterAndNulBytesAreRefused() {
        byte[] snowman = "a☃".getBytes(StandardCharsets.UTF_8);                  // 61 E2 98 83
        assertEquals("2 bytes starting with 0xE2 at offset 1 is not valid UTF-8 (Latin-1 or another encoding, or binary data?)",
                TextFiles.utf8Problem(java.util.Arrays.copyOf(snowman, 3)));
        assertEquals("a NUL byte at offset 1 (binary data, or UTF-16?)", TextFiles.utf8Problem("a\0b".getBytes(StandardCharsets.UTF_8)));
        assertNull(TextFiles.utf8Problem(snowman));
    }
}
