package llmbook.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeFileTest {
    static final BpeTokenizer T = BpeTrainer.train(TokenizerContractTest.TRAIN.repeat(3), 320, SplitPattern.CL100K,
            List.of("<|endoftext|>", "<|a\\b\nc|>"), null);

    @Test
    void saveThenLoadGivesTheSameTokenizer(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("sub/tok.bpe");
        T.save(f);
        BpeTokenizer back = BpeTokenizer.load(f);
        assertEquals(T.name(), back.name());
        assertEquals(T.pattern(), back.pattern());
        assertEquals(T.specialTokens(), back.specialTokens());
        assertArrayEquals(T.mergeLeft(), back.mergeLeft());
        assertArrayEquals(T.mergeRight(), back.mergeRight());
        String s = "The whale<|endoftext|>" + TokenizerContractTest.TRAIN;
        assertArrayEquals(T.encode(s), back.encode(s));
        try (var files = Files.list(f.getParent())) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
        assertTrue(Files.readString(f).startsWith("llmbook-bpe 1\nname "));
    }

    private static String refusal(byte[] bytes) {
        return assertThrows(IOException.class, () -> BpeFile.parse(bytes, "f")).getMessage();
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] good = BpeFile.format(T);
        for (int n = 0; n < good.length; n += 1) {
            String msg = refusal(Arrays.copyOf(good, n));
            assertTrue(msg.contains("truncated") || msg.contains("empty") || msg.contains("corrupt")
                    || msg.contains("expected") || msg.contains("not an llmbook"), n + ": " + msg);
        }
    }

    @Test
    void truncationInTheMergesSaysHowFarItGot() {
        String text = new String(BpeFile.format(T), StandardCharsets.UTF_8);
        int cut = text.indexOf("\nm ", text.indexOf("\nm ") + 1) + 1;      // after the first merge line
        String msg = refusal(text.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        assertTrue(msg.contains("truncated") && msg.contains("ends after 1 of them"), msg);
    }

    @Test
    void aChangedByteFailsTheChecksum() {
        byte[] bad = BpeFile.format(T);
        String text = new String(bad, StandardCharsets.UTF_8);
        int at = text.indexOf("\nm ") + 3;
        bad[at] = (byte) (bad[at] == '1' ? '2' : '1');
        String msg = refusal(bad);
        assertTrue(msg.contains("checksum") || msg.contains("invalid tokenizer"), msg);
    }

    @Test
    void wrongMagicVersionAndCountsAreNamed() {
        assertTrue(refusal("hello\n".getBytes()).contains("not an llmbook BPE file"));
        assertTrue(refusal("llmbook-bpe 2\n".getBytes()).contains("version 2"));
        String text = new String(BpeFile.format(T), StandardCharsets.UTF_8);
        assertTrue(refusal(text.replaceFirst("merges \\d+", "merges x").getBytes()).contains("'x' is not a non-negative integer"));
        assertTrue(refusal(text.replace("pattern CL100K", "pattern FOO").getBytes()).contains("unknown pattern 'FOO'"));
        assertTrue(refusal((text + "extra\n").getBytes()).contains("extra text"));
        assertTrue(refusal(new byte[0]).contains("empty"));
    }

    @Test
    void aFailedWriteKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("tok.bpe");
        T.save(f);
        byte[] before = Files.readAllBytes(f);
        BpeTokenizer gpt2 = BpeTokenizer.gpt2();
        assertThrows(IllegalStateException.class, () -> gpt2.save(f));   // ranks have no merge list
        assertArrayEquals(before, Files.readAllBytes(f));
    }
}
