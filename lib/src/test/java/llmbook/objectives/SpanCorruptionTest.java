package llmbook.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import llmbook.tensor.Rng;
import org.junit.jupiter.api.Test;

/** T5's span corruption (Q25): counts, layout, round trip, the span-length statistics and the errors. */
class SpanCorruptionTest {
    static final int[] SENTINELS = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120};

    static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void hidesTheRightCountInSpansAndRestores() {
        int[] ids = range(40);
        for (long seed = 1; seed <= 50; seed++) {
            SpanCorruption.Corrupted c = SpanCorruption.t5().apply(ids, SENTINELS, new Rng(seed));
            assertEquals(2, c.spans(), "round(40 · 0.15) = 6 noise tokens, round(6 / 3) = 2 spans");
            assertEquals(40 - 6 + 2, c.input().length, "kept tokens plus one sentinel per span");
            assertEquals(6 + 2 + 1, c.target().length, "hidden tokens, one sentinel per span, one closing sentinel");
            assertEquals(100, c.target()[0]);
            assertEquals(102, c.target()[c.target().length - 1]);
            assertTrue(c.input()[0] < 100, "starts with kept tokens");
            assertEquals(101, c.input()[c.input().length - 1], "ends with a hidden span");
            assertArrayEquals(ids, SpanCorruption.restore(c, SENTINELS), "input + target give back the text");
        }
    }

    @Test
    void exampleOfTheClassComment() {
        SpanCorruption.Corrupted c = new SpanCorruption(0.3, 1.5).apply(range(10), SENTINELS, new Rng(7));
        assertEquals(2, c.spans());
        assertEquals(3 + 2 + 1, c.target().length);
        assertArrayEquals(range(10), SpanCorruption.restore(c, SENTINELS));
    }

    @Test
    void spansHaveTheAskedMeanLengthAndUniformCuts() {
        // 200 tokens, density 0.15 → 30 noise tokens in 10 spans of mean 3, whatever the draw; the cut points are
        // uniform, so each noise run is 1 + Binomial-like around 3 and a run of length 1 is the most common
        Rng rng = new Rng(3);
        int[] lengthCount = new int[31];
        for (int r = 0; r < 400; r++) {
            int[] len = SpanCorruption.segment(30, 10, rng);
            int sum = 0;
            for (int l : len) { assertTrue(l >= 1, "non-empty runs"); sum += l; lengthCount[l]++; }
            assertEquals(30, sum);
        }
        assertTrue(lengthCount[1] > lengthCount[3] && lengthCount[3] > lengthCount[6], "geometric-like run lengths: " + java.util.Arrays.toString(lengthCount));
        double first = 0;
        Rng r2 = new Rng(4);
        for (int r = 0; r < 2000; r++) first += SpanCorruption.segment(30, 10, r2)[0];
        assertEquals(3.0, first / 2000, 0.15, "the first run is as long as any other on average");
    }

    @Test
    void hiddenMarksExactlyThePositionsApplyHides() {
        for (int n : new int[] {2, 10, 32, 57}) {
            SpanCorruption sc = SpanCorruption.t5();
            for (long seed = 1; seed <= 30; seed++) {
                boolean[] hide = sc.hidden(n, new Rng(seed));
                SpanCorruption.Corrupted c = sc.apply(range(n), SENTINELS, new Rng(seed));
                int[] words = java.util.Arrays.stream(c.target()).filter(t -> t < 100).toArray();   // ids = positions
                int[] marked = java.util.stream.IntStream.range(0, n).filter(i -> hide[i]).toArray();
                assertArrayEquals(marked, words, "n = " + n + ", seed " + seed);
                assertEquals(sc.noise(n), marked.length);
                assertEquals(sc.spans(n), c.spans());
            }
        }
        assertEquals(5, SpanCorruption.t5().noise(32), "round(32 · 0.15)");
        assertEquals(2, SpanCorruption.t5().spans(32), "round(5 / 3)");
    }

    @Test
    void spanBatchesLayout() {
        WordVocab v = WordVocab.fit("a b c d e f g h i j k l", 20);
        int[] stream = v.encode("a b c d e f g h i j k l ".repeat(10));
        SpanBatches data = new SpanBatches(stream, 32, SpanCorruption.t5(), v);
        assertArrayEquals(new int[] {v.size(), v.size() + 1, v.size() + 2}, data.sentinels(), "2 spans at T = 32: 3 sentinels after the vocabulary");
        assertEquals(v.size() + 3, data.modelVocab());
        SpanBatches.Batch b = data.next(new Rng(4), 3);
        assertEquals(32 - 5 + 2, b.Ts());
        assertEquals(5 + 2 + 1, b.Tt());
        for (int k = 0; k < 3; k++) {
            assertEquals(v.cls, b.tgtIn()[k * b.Tt()], "the decoder starts from [CLS]");
            for (int t = 1; t < b.Tt(); t++) assertEquals(b.tgtOut()[k * b.Tt() + t - 1], b.tgtIn()[k * b.Tt() + t], "teacher forcing: input = target shifted right");
            int[] src = java.util.Arrays.copyOfRange(b.src(), k * b.Ts(), (k + 1) * b.Ts()), tgt = java.util.Arrays.copyOfRange(b.tgtOut(), k * b.Tt(), (k + 1) * b.Tt());
            int[] text = SpanCorruption.restore(new SpanCorruption.Corrupted(src, tgt, 2), data.sentinels());
            assertEquals(32, text.length);
            int at = 0;
            while (stream[at] != text[0] || stream[at + 1] != text[1] || stream[at + 2] != text[2]) at++;
            assertArrayEquals(java.util.Arrays.copyOfRange(stream, at, at + 32), text, "source + target give back a window of the stream");
        }
    }

    @Test
    void encoderDecoderLearnsSpansAndBothScoresUseTheSameBlanks() {
        WordVocab v = WordVocab.fit("a b c d e f g h", 20);
        int[] stream = v.encode("a b c d e f g h ".repeat(60));
        SpanBatches data = new SpanBatches(stream, 16, new SpanCorruption(0.25, 2), v);
        var cfg = llmbook.model.transformer.TransformerConfig.small(llmbook.model.transformer.TransformerConfig.Arch.SEQ2SEQ, data.modelVocab(), 16)
                .toBuilder().layers(1).heads(2).width(32).hidden(64)
                .positions(llmbook.model.transformer.TransformerConfig.Positions.ROPE).init(llmbook.model.transformer.TransformerConfig.InitScheme.CLASSIC).build();
        var s2s = new llmbook.model.transformer.Seq2Seq(cfg, new Rng(2));
        FillIn.Score before = FillIn.spanDecoder(s2s, data, 64, 9);
        new llmbook.train.Trainer(s2s, llmbook.train.TrainConfig.reference().withSteps(150).withLr(3e-3f).withWarmup(10).withBatch(16).withThreads(1).withEvalInterval(150),
                data, null, b -> SpanBatches.loss(s2s, b)).run();
        FillIn.Score after = FillIn.spanDecoder(s2s, data, 64, 9);
        assertEquals(64 * 4, after.n(), "round(16 · 0.25) = 4 hidden words per window, sentinels not scored");
        assertTrue(before.top1() < 0.3 && after.top1() > 0.8, "a periodic text's spans are predictable: " + before + " → " + after);
        MaskedLm m = new MaskedLm(MaskedLm.config(v.size(), 16, 1, 16), new Rng(1));
        assertEquals(after.n(), FillIn.spanEncoder(m, v, data, 64, 9).n(), "the encoder is scored on the same hidden words");
    }

    @Test
    void sameSeedSameCorruption() {
        SpanCorruption.Corrupted a = SpanCorruption.t5().apply(range(60), SENTINELS, new Rng(9)), b = SpanCorruption.t5().apply(range(60), SENTINELS, new Rng(9));
        assertArrayEquals(a.input(), b.input());
        assertArrayEquals(a.target(), b.target());
    }

    @Test
    void refusesBadSettingsWithOneLine() {
        assertThrows(IllegalArgumentException.class, () -> new SpanCorruption(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new SpanCorruption(0.15, 0.5));
        assertThrows(IllegalArgumentException.class, () -> SpanCorruption.t5().apply(new int[] {1}, SENTINELS, new Rng(1)));
        var e = assertThrows(IllegalArgumentException.class, () -> SpanCorruption.t5().apply(range(200), new int[] {100, 101}, new Rng(1)));
        assertTrue(e.getMessage().contains("10 spans need 11 sentinels"), e.getMessage());
    }
}
