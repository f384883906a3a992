package llmbook.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.data.TestSentences;
import llmbook.io.MiniLmJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our {@link WordPiece} against Hugging Face's tokenizers (Rust, through DJL; test scope only) on the same
 * tokenizer.json: identical ids on 1,000 State of the Union sentences and on edge cases, identical
 * token-type ids and truncation for single texts and pairs, identical decoding.
 */
class WordPieceOracleTest {
    static final WordPiece OURS = WordPiece.minilm();
    static HuggingFaceTokenizer plain, framed;

    @BeforeAll
    static void oracle() throws IOException {
        Path json = Files.createTempFile("minilm-tokenizer", ".json");
        Files.write(json, MiniLmJar.read(MiniLmJar.TOKENIZER));
        plain = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(false)
                .optTruncation(false).optPadding(false).build();
        framed = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(true)
                .optTruncation(true).optMaxLength(64).optPadding(false).build();
        Files.delete(json);
    }

    @AfterAll
    static void close() {
        plain.close();
        framed.close();
    }

    static int[] ints(long[] a) {
        return Arrays.stream(a).mapToInt(Math::toIntExact).toArray();
    }

    static String shortly(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static final String THREE_HUNDRED_WORDS = String.join(" ", java.util.Collections.nCopies(100, "Congress shall act."));

    static List<String> edgeCases() {
        List<String> cases = new ArrayList<>(Arrays.asList(TestText.EDGE_CASES));
        cases.addAll(List.of("", "...!?", "Ünïcödé àccents: Crème brûlée, São Paulo, Ångström, İstanbul",
                "emoji 😀 and 👍🏽 inside words: ok👌ok", "中文 漢字 and かな カナ, 한국어", "[CLS] raw [SEP] specials [MASK]x[UNK]",
                THREE_HUNDRED_WORDS, "supercalifragilisticexpialidocious unaffable tokenizers", "x".repeat(100), "x".repeat(101),
                "ΣΊΣΥΦΟΣ final sigma", "ﬁne ligature ① ½", "$100 + 5% = <tag> ^_^ `code` |pipe| ~tilde"));
        return cases;
    }

    @Test
    void sameIdsOnAThousandSotuSentencesAndEdgeCases() {
        List<String> texts = new ArrayList<>(TestSentences.sotu(1000));
        texts.addAll(edgeCases());
        int agree = 0;
        List<String> differ = new ArrayList<>();
        for (String s : texts) {
            int[] expected = ints(plain.encode(s).getIds());
            if (Arrays.equals(expected, OURS.encode(s))) agree++;
            else differ.add("[" + shortly(s) + "] oracle " + Arrays.toString(expected) + " ours " + Arrays.toString(OURS.encode(s)));
        }
        System.out.println("WordPiece vs Hugging Face tokenizers: " + agree + " of " + texts.size() + " texts give identical ids");
        assertEquals(List.of(), differ);
    }

    @Test
    void sameFrameTypeIdsAndTruncation() {
        List<String> texts = new ArrayList<>(TestSentences.sotu(200));
        texts.addAll(edgeCases());
        for (int i = 0; i < texts.size(); i++) {
            String a = texts.get(i), b = texts.get((i * 7 + 3) % texts.size());
            var e = framed.encode(a);
            var ours = OURS.encodeForModel(a, 64);
            assertArrayEquals(ints(e.getIds()), ours.ids(), () -> "single [" + shortly(a) + "]");
            assertArrayEquals(ints(e.getTypeIds()), ours.typeIds());
            var p = framed.encode(a, b);
            var pair = OURS.encodeForModel(a, b, 64);
            assertArrayEquals(ints(p.getIds()), pair.ids(), () -> "pair [" + shortly(a) + "] + [" + shortly(b) + "]");
            assertArrayEquals(ints(p.getTypeIds()), pair.typeIds(), () -> "type ids of [" + shortly(a) + "] + [" + shortly(b) + "]");
        }
    }

    @Test
    void sameDecoding() {
        List<String> texts = new ArrayList<>(TestSentences.sotu(200));
        texts.addAll(edgeCases());
        for (String s : texts) {
            long[] ids = plain.encode(s).getIds();
            assertEquals(plain.decode(ids, false), OURS.decode(ints(ids)), () -> "decode of [" + shortly(s) + "]");
        }
    }
}
