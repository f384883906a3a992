package llmbook.model.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.model.gpt.Gpt;
import llmbook.model.gpt.GptConfig;
import llmbook.model.transformer.TransformerConfig.Positions;
import llmbook.nn.Layer;
import llmbook.nn.Linear;
import llmbook.nn.Module;
import llmbook.optim.AdamW;
import llmbook.optim.ParamGroup;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The one decoder: the gpt2 preset is the chapter 6 reference GPT (same numbers for the same seed), the cache gives the
 * full forward's logits for every variant, greedy decoding with and without it agree, paths and replacement work.
 */
class DecoderTest {
    static final int V = 65;

    /** Small versions of every variant the issue names (context 12, width 32, 2 layers). */
    static Map<String, TransformerConfig> variants() {
        var base = TransformerConfig.gpt2(V).toBuilder().context(12).layers(2).width(32).hidden(64).build();
        var llama = TransformerConfig.llama(V).toBuilder().context(12).layers(2).width(32).hidden(48).build();
        Map<String, TransformerConfig> m = new LinkedHashMap<>();
        m.put("gpt2", base);
        m.put("llama", llama);
        m.put("mqa", base.withAttention(TransformerConfig.Attention.MQA));
        m.put("mla", base.toBuilder().mla(16, 4).positions(Positions.NONE).bias(false).build());
        m.put("sinusoidal", base.withPositions(Positions.SINUSOIDAL));
        m.put("none", base.withPositions(Positions.NONE));
        m.put("adaptive", llama.withAdaptiveHead(10, 30));
        m.put("classic", new TransformerConfig(TransformerConfig.Arch.DECODER, V, 12, 2, 4, 32, 64, Positions.LEARNED,
                TransformerConfig.Norm.LAYER_NORM, TransformerConfig.Ffn.RELU, 0f, true, true));
        return m;
    }

    static int[] randomIds(long seed, int n) {
        Rng r = new Rng(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = r.nextInt(V);
        return ids;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** Gpt's tensors in the Decoder's order, with the packed qkv (3C, C) sliced into q, k, v. */
    static List<float[]> gptTensors(Gpt gpt, int C, boolean grads) {
        List<float[]> out = new ArrayList<>();
        for (var e : gpt.namedParameters().entrySet()) {
            Tensor t = grads ? e.getValue().grad() : e.getValue();
            float[] d = t.toArray();
            if (e.getKey().endsWith("attn_qkv.weight") || e.getKey().endsWith("attn_qkv.bias")) {
                int n = d.length / 3;
                for (int k = 0; k < 3; k++) out.add(java.util.Arrays.copyOfRange(d, k * n, (k + 1) * n));
            } else out.add(d);
        }
        return out;
    }

    /** The Decoder's tensors ordered like Gpt's: wte, wpe, per block ln_1, q, k, v (weights then biases), o, ln_2, mlp; ln_f. */
    static List<float[]> decoderTensors(Decoder dec, boolean grads) {
        Map<String, Tensor> p = dec.namedParameters();
        List<String> order = new ArrayList<>(List.of("wte.weight", "wpe.weight"));
        List<String> attn = new ArrayList<>(dec.get("h.0.attn").children().keySet());   // q, k, v, o (whatever their names)
        for (int l = 0; l < dec.config.layers(); l++) {
            String h = "h." + l + ".";
            order.addAll(List.of(h + "ln_1.weight", h + "ln_1.bias"));
            for (int i = 0; i < 3; i++) order.add(h + "attn." + attn.get(i) + ".weight");
            for (int i = 0; i < 3; i++) order.add(h + "attn." + attn.get(i) + ".bias");
            order.addAll(List.of(h + "attn." + attn.get(3) + ".weight", h + "attn." + attn.get(3) + ".bias", h + "ln_2.weight", h + "ln_2.bias",
                    h + "mlp.w1.weight", h + "mlp.w1.bias", h + "mlp.w2.weight", h + "mlp.w2.bias"));
        }
        order.addAll(List.of("ln_f.weight", "ln_f.bias"));
        assertEquals(p.keySet(), new java.util.HashSet<>(order), "parameter names");
        List<float[]> out = new ArrayList<>();
        for (String n : order) out.add(grads ? p.get(n).grad().toArray() : p.get(n).toArray());
        return out;
    }

    /**
     * Same seed, same numbers: the gpt2 preset draws its weights in the reference GPT's order, so the weights are
     * identical, the logits and gradients agree to float rounding, and 8 AdamW steps follow the same loss curve.
     */
    @Test void gpt2PresetIsTheReferenceGpt() {
        var cfg = TransformerConfig.gpt2(V);
        Gpt gpt = new Gpt(GptConfig.reference(V), new Rng(1337));
        Decoder dec = new Decoder(cfg, new Rng(1337));
        assertEquals(GptConfig.reference(V).parameterCount(), cfg.parameterCount());
        assertEquals(gpt.numParameters(), dec.numParameters());
        List<float[]> a = gptTensors(gpt, 128, false), b = decoderTensors(dec, false);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), 0f, "tensor " + i);

        int B = 4, T = 32;
        int[] ids = randomIds(1, B * T), targets = randomIds(2, B * T);
        assertTrue(maxDiff(gpt.forward(ids, B, T).toArray(), dec.logits(ids, B, T).toArray()) < 1e-5);
        gpt.loss(ids, targets, B, T).backward();
        dec.loss(ids, targets, B, T).backward();
        List<float[]> ga = gptTensors(gpt, 128, true), gb = decoderTensors(dec, true);
        for (int i = 0; i < ga.size(); i++) assertTrue(maxDiff(ga.get(i), gb.get(i)) < 2e-5, "gradient " + i + ": " + maxDiff(ga.get(i), gb.get(i)));

        var optA = new AdamW(List.of(new ParamGroup(gpt.parameters(), 0.1f)), 1e-3f);
        var optB = new AdamW(List.of(new ParamGroup(dec.parameters(), 0.1f)), 1e-3f);
        for (int step = 0; step < 8; step++) {
            int[] x = randomIds(10 + step, B * T), y = randomIds(20 + step, B * T);
            optA.zeroGrad(); optB.zeroGrad();
            Tensor la = gpt.loss(x, y, B, T), lb = dec.loss(x, y, B, T);
            la.backward(); lb.backward();
            optA.step(); optB.step();
            assertEquals(la.item(), lb.item(), 1e-4, "loss at step " + step);
        }
    }

    @Test void presetsPrintAndCompare() {
        var g = TransformerConfig.gpt2(V);
        var l = TransformerConfig.llama(V);
        assertTrue(g.toString().contains("init=GPT2") && g.toString().contains(String.format("%,d", g.parameterCount())), g.toString());
        assertTrue(l.toString().contains("GQA(G=2)") && l.toString().contains("no biases") && l.toString().contains("untied"), l.toString());
        assertTrue(Math.abs(l.parameterCount() - g.parameterCount()) < 0.01 * g.parameterCount(), l + " vs " + g);
        assertEquals(l.parameterCount(), new Decoder(l, new Rng(1)).numParameters());
    }

    /** GPT-2 paths: wte, wpe, h.{i}.ln_1 / attn / ln_2 / mlp, ln_f; head only when untied. */
    @Test void pathsReadLikeGpt2() {
        var dec = new Decoder(TransformerConfig.gpt2(V).withLayers(2), new Rng(1));
        List<String> names = new ArrayList<>(dec.namedParameters().keySet());
        assertEquals("wte.weight", names.get(0));
        assertEquals("wpe.weight", names.get(1));
        assertTrue(names.contains("h.1.ln_1.weight") && names.contains("h.1.ln_2.bias") && names.contains("h.0.mlp.w1.weight")
                && names.contains("ln_f.weight") && names.stream().noneMatch(n -> n.startsWith("head")), names.toString());
        var llama = new Decoder(TransformerConfig.llama(V).withLayers(2), new Rng(1));
        assertTrue(llama.namedParameters().containsKey("head.weight") && !llama.namedParameters().containsKey("wpe.weight"));
        assertTrue(llama.namedParameters().keySet().stream().noneMatch(n -> n.endsWith(".bias")), "llama has no biases");
    }

    /** {@code replace("h.*.mlp", …)} changes what the model computes. */
    @Test void replacedMlpsTakeEffect() {
        var dec = new Decoder(variants().get("gpt2"), new Rng(3));
        dec.eval();
        int[] ids = randomIds(4, 8);
        float[] before = dec.logits(ids, 1, 8).toArray();
        class Zero extends Module implements Layer {
            @Override public Tensor forward(Tensor x) { return x.mul(0f); }
        }
        assertEquals(2, dec.replace("h.*.mlp", old -> new Zero()));
        float[] noMlp = dec.logits(ids, 1, 8).toArray();
        assertTrue(maxDiff(before, noMlp) > 1e-3, "replacing the MLPs did not change the logits");
    }

    /**
     * Needs the attention modules to read their projections through {@code child()} at forward time: the attn branch
     * (issue 11) does that; on this branch {@code GroupedQueryAttention} still calls its fields, so the test is off.
     */
    @org.junit.jupiter.api.Disabled("enable after merging the attn branch: GroupedQueryAttention must read q/k/v/o through child()")
    @Test void replacedAttentionProjectionsTakeEffect() {
        var dec = new Decoder(variants().get("gpt2"), new Rng(3));
        dec.eval();
        int[] ids = randomIds(4, 8);
        float[] before = dec.logits(ids, 1, 8).toArray();
        String q = dec.get("h.0.attn").children().keySet().iterator().next();   // "q" (or "wq" before the rename)
        assertEquals(2, dec.replace("h.*.attn." + q, old -> {
            Linear l = (Linear) old, z = new Linear(l.in, l.out, l.bias != null, new Rng(0));
            java.util.Arrays.fill(z.weight.data(), 0f);
            return z;
        }));
        assertTrue(maxDiff(before, dec.logits(ids, 1, 8).toArray()) > 1e-4, "replacing the query projections did not change the logits");
    }

    /** Feeding a sequence in pieces through the cache gives the full forward's logits, for every variant. */
    @Test void cachedLogitsEqualTheFullForward() {
        for (var e : variants().entrySet()) {
            var dec = new Decoder(e.getValue(), new Rng(5));
            dec.eval();
            int B = 2, T = 10, V0 = e.getValue().vocab();
            int[] ids = randomIds(6, B * T);
            float[] full;
            try (var ng = Tensor.noGrad()) {
                full = dec.logits(ids, B, T).toArray();
            }
            DecodeCache cache = dec.newCache(B);
            int[] cuts = {0, 4, 5, 6, 9, 10};                              // a prompt of 4, then 1, 1, 3, 1 tokens
            for (int k = 0; k + 1 < cuts.length; k++) {
                int t0 = cuts[k], n = cuts[k + 1] - t0;
                int[] piece = new int[B * n];
                for (int s = 0; s < B; s++) System.arraycopy(ids, s * T + t0, piece, s * n, n);
                assertEquals(t0, cache.length());
                float[] got = dec.logits(piece, B, n, cache).toArray();
                for (int s = 0; s < B; s++)
                    for (int i = 0; i < n; i++) {
                        float[] want = java.util.Arrays.copyOfRange(full, (s * T + t0 + i) * V0, (s * T + t0 + i + 1) * V0);
                        float[] have = java.util.Arrays.copyOfRange(got, (s * n + i) * V0, (s * n + i + 1) * V0);
                        assertTrue(maxDiff(want, have) < 1e-4, e.getKey() + ": position " + (t0 + i) + " differs by " + maxDiff(want, have));
                    }
            }
            assertEquals(e.getValue().kvCacheBytesPerToken(), cache.bytesPerToken(), e.getKey());
            assertEquals((long) B * T * cache.bytesPerToken(), cache.bytes(), e.getKey());
            var err = assertThrows(IllegalArgumentException.class, () -> dec.logits(randomIds(7, B * 3), B, 3, cache));
            assertTrue(err.getMessage().contains("13") && err.getMessage().contains("12"), err.getMessage());
        }
    }

    static int[] greedy(LanguageModel lm, int[] prompt, int n, boolean cached) {
        int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + n);
        int len = prompt.length;
        DecodeCache cache = cached ? lm.newCache(1) : null;
        try (var ng = Tensor.noGrad()) {
            Tensor logits = cached ? lm.logits(prompt, 1, len, cache) : null;
            for (int k = 0; k < n; k++) {
                if (!cached) logits = lm.logits(java.util.Arrays.copyOf(seq, len), 1, len);
                int V0 = lm.vocab(), rows = logits.numel() / V0;
                float[] last = logits.reshape(rows, V0).slice(0, rows - 1, rows).toArray();
                int best = 0;
                for (int v = 1; v < V0; v++) if (last[v] > last[best]) best = v;
                seq[len++] = best;
                if (cached && k + 1 < n) logits = lm.logits(new int[] {best}, 1, 1, cache);
            }
        }
        return seq;
    }

    @Test void greedyWithCacheEqualsWithout() {
        for (var e : variants().entrySet()) {
            var dec = new Decoder(e.getValue(), new Rng(8));
            dec.eval();
            int[] prompt = randomIds(9, 3);
            assertArrayEquals(greedy(dec, prompt, 9, false), greedy(dec, prompt, 9, true), e.getKey());
        }
    }

    /** After reorder(rows) each row continues the history of the row it came from, as a fresh cache fed that history would. */
    @Test void reorderKeepsEachRowsHistory() {
        var dec = new Decoder(variants().get("llama"), new Rng(10));
        dec.eval();
        int[] ids = randomIds(11, 3 * 5);                       // 3 sequences of 5
        DecodeCache cache = dec.newCache(3);
        dec.logits(ids, 3, 5, cache);
        cache.reorder(new int[] {2, 2, 0});
        assertEquals(5, cache.length());
        int[] next = {7, 8, 9};
        float[] got = dec.logits(next, 3, 1, cache).toArray();
        int[] rows = {2, 2, 0};
        for (int i = 0; i < 3; i++) {
            int[] alone = new int[6];
            System.arraycopy(ids, rows[i] * 5, alone, 0, 5);
            alone[5] = next[i];
            float[] full;
            try (var ng = Tensor.noGrad()) {
                full = dec.logits(alone, 1, 6).slice(1, 5, 6).toArray();
            }
            assertTrue(maxDiff(full, java.util.Arrays.copyOfRange(got, i * V, (i + 1) * V)) < 1e-4, "row " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> cache.reorder(new int[] {0, 3, 1}));
    }

    /** Adaptive softmax: the loss (through the head's own loss, −1 targets skipped) equals the cross-entropy of its log-probabilities. */
    @Test void adaptiveLossMatchesItsLogProbs() {
        var dec = new Decoder(variants().get("adaptive"), new Rng(12));
        int[] ids = randomIds(13, 2 * 6), y = randomIds(14, 2 * 6);
        y[3] = -1;
        y[7] = -1;
        float viaHead = dec.loss(ids, y, 2, 6).item();
        float viaLogits = llmbook.tensor.Functional.crossEntropy(dec.logits(ids, 2, 6).reshape(12, V), y, -1).item();
        assertEquals(viaLogits, viaHead, 1e-5);
        assertEquals(dec.config.parameterCount(), dec.numParameters());
    }

    /** The output layer is drawn last, so models that differ only in their head start from the same trunk (chapter 6 compares them step for step). */
    @Test void headVariantsShareTheTrunk() {
        var full = new Decoder(TransformerConfig.gpt2(V).withTied(false), new Rng(5));
        var adaptive = new Decoder(TransformerConfig.gpt2(V).withAdaptiveHead(10, 30), new Rng(5));
        var tied = new Decoder(TransformerConfig.gpt2(V), new Rng(5));
        for (var e : tied.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), full.namedParameters().get(e.getKey()).toArray(), 0f, e.getKey());
            assertArrayEquals(e.getValue().toArray(), adaptive.namedParameters().get(e.getKey()).toArray(), 0f, e.getKey());
        }
        assertTrue(full.namedParameters().containsKey("head.weight") && adaptive.namedParameters().containsKey("head.head.weight"));
    }

    @Test void refusesAForeignCacheAndBadBatches() {
        var a = new Decoder(variants().get("gpt2"), new Rng(1));
        var b = new Decoder(variants().get("gpt2"), new Rng(1));
        var e = assertThrows(IllegalArgumentException.class, () -> a.logits(new int[] {1}, 1, 1, b.newCache(1)));
        assertTrue(e.getMessage().contains("not made by this model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.logits(new int[] {1, 2}, 2, 1, a.newCache(1)));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("1"), e.getMessage());
        assertEquals(a.dropoutRng(), a.dropoutRng());
        assertTrue(a.supportsCache());
    }
}
