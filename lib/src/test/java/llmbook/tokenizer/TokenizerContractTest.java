package llmbook.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same tests over every {@link Tokenizer}. */
class TokenizerContractTest {
    static final String TRAIN = "The whale! The white whale, Ahab's whale: 1851.\n  Call me Ishmael.\tSome years ago—never mind how long.";

    static Stream<Tokenizer> tokenizers() {
        return Stream.of(
                CharTokenizer.fit(TRAIN),
                WordTokenizer.fit(TRAIN, 1000),
                BpeTrainer.train(TRAIN, 300),
                BpeTrainer.train(TRAIN, 300, SplitPattern.CL100K, List.of("<|endoftext|>"), null),
                BpeTokenizer.gpt2(),
                BpeTokenizer.cl100k(),
                WordPiece.minilm());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void emptyStringIsNoTokens(Tokenizer t) {
        assertEquals(0, t.encode("").length);
        assertEquals("", t.decode(new int[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void trainingTextRoundTripsWithIdsInRange(Tokenizer t) {
        // WordPiece normalises (case, accents, spaces around punctuation): its round trip is tested in WordPieceTest.
        org.junit.jupiter.api.Assumptions.assumeFalse(t instanceof WordPiece);
        int[] ids = t.encode(TRAIN);
        for (int id : ids) assertTrue(id >= 0 && id < t.vocabSize(), () -> t.name() + " id " + id);
        assertEquals(TRAIN, t.decode(ids));
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(t.piece(id));
        assertEquals(TRAIN, sb.toString(), "pieces of in-vocabulary text concatenate to the text");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void unknownIdIsRefusedWithTheRange(Tokenizer t) {
        var e = assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {t.vocabSize()}));
        assertTrue(e.getMessage().contains(String.valueOf(t.vocabSize())), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void anyStringRoundTripsOrMapsToUnk(Tokenizer t) {
        for (String s : TestText.EDGE_CASES) {
            int[] ids = t.encode(s);
            String back = t.decode(ids);
            if (t.lossless()) {
                assertEquals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), back, () -> t.name() + " on [" + s + "]");
            } else {
                for (int id : ids) assertTrue(id >= 0 && id < t.vocabSize());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void unseenTextIsUnkUnlessLossless(Tokenizer t) {
        String s = "Queequeg 😀";
        String back = t.decode(t.encode(s));
        if (t.lossless()) assertEquals(s, back);
        else assertTrue(!back.equals(s), t.name() + " cannot know " + s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void longRunsOfOneCharacterAreFast(Tokenizer t) {
        for (String unit : new String[] {"a", " ", "😀", "\n", "ab"}) {
            String s = unit.repeat(100_000);
            long t0 = System.nanoTime();
            int[] ids = t.encode(s);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(s, t.lossless() || t.decode(ids).equals(s) ? t.decode(ids) : s);
            assertTrue(ms < 20_000, () -> t.name() + " took " + ms + " ms on 100k x [" + unit + "]: quadratic?");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenizers")
    void encodingIsDeterministic(Tokenizer t) {
        assertArrayEquals(t.encode(TRAIN), t.encode(TRAIN));
    }
}
