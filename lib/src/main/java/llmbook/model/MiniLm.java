package llmbook.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import llmbook.io.MiniLmJar;
import llmbook.io.Onnx;
import llmbook.model.transformer.Encoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.LinAlg;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.WordPiece;

/**
 * A real pretrained model in our own code: the sentence encoder all-MiniLM-L6-v2 (sentence-transformers;
 * a 6-layer BERT, width 384, 12 heads, 22.7 M parameters, trained on a billion sentence pairs to put
 * texts of similar meaning at nearby unit vectors). Q6, Q8, Q11.
 * <pre>{@code
 * MiniLm m = MiniLm.load();                                   // weights from the ONNX file in the Maven jar
 * Tensor v = m.embed(List.of("war and peace", "a treaty ending the war"));   // (2, 384), unit rows
 * float cos = v.slice(0, 0, 1).mul(v.slice(0, 1, 2)).sum().item();
 * }</pre>
 * The weights are read from {@link MiniLmJar#ONNX} by {@link Onnx} and copied into the library's
 * {@link Encoder} with BERT's options: word + position + token-type embeddings, embedding LayerNorm,
 * post-norm blocks, attention with biases, exact GELU, LayerNorm ε from the model's graph (1e-12). The
 * sentence vector is sentence-transformers' head: the mean of the last hidden states over the real tokens,
 * scaled to length 1. Text is cut at {@value #MAX_TOKENS} tokens, the model's {@code max_seq_length}.
 *
 * <p>Exporters name the 36 matrices after a counter ({@code onnx::MatMul_787}), stored (in, out); each is
 * found through the MatMul node that reads it ({@code /encoder/layer.0/attention/self/query/MatMul}) and
 * transposed into the (out, in) layout of {@link llmbook.nn.Linear}. Every float tensor of the file must
 * be used exactly once and have the expected shape, or loading stops and says which.
 */
public final class MiniLm {
    /** sentence-transformers' max_seq_length for this model: longer texts are cut (the position table has 512 rows). */
    public static final int MAX_TOKENS = 256;
    /** Texts per forward pass in {@link #embed(List)}: one ragged batch, the texts one after another with no padding. */
    public static final int BATCH = 32;

    public final Encoder encoder;
    public final WordPiece tokenizer;

    private MiniLm(Encoder encoder, WordPiece tokenizer) {
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        encoder.eval();
    }

    /** The model from the jar on the classpath ({@link MiniLmJar}). */
    public static MiniLm load() throws IOException {
        return fromOnnx(Onnx.read(MiniLmJar.read(MiniLmJar.ONNX), MiniLmJar.ONNX), WordPiece.minilm());
    }

    /** The model from a copy of the jar at {@code jar}. */
    public static MiniLm load(Path jar) throws IOException {
        String json = new String(MiniLmJar.read(jar, MiniLmJar.TOKENIZER), StandardCharsets.UTF_8);
        WordPiece tokenizer;
        try {
            tokenizer = WordPiece.fromJson("minilm", json);
        } catch (IllegalArgumentException e) {
            throw new IOException(jar + "!/" + MiniLmJar.TOKENIZER + ": " + e.getMessage());
        }
        return fromOnnx(Onnx.read(MiniLmJar.read(jar, MiniLmJar.ONNX), jar + "!/" + MiniLmJar.ONNX), tokenizer);
    }

    /** Builds the encoder whose shape the graph implies and copies every weight into it. */
    static MiniLm fromOnnx(Onnx.Graph g, WordPiece tokenizer) throws IOException {
        try {
            return new MiniLm(new Loader(g).load(), tokenizer);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("all-MiniLM-L6-v2: " + e.getMessage());
        }
    }

    /** The config of the loaded model: {@code Transformer ENCODER(vocab=30522, context=512, layers=6, heads=12, width=384, ...)}. */
    public TransformerConfig config() { return encoder.config; }

    /** Unit sentence vectors, one row per text: (N, 384). */
    public Tensor embed(List<String> texts) { return embed(texts, BATCH); }

    /** As {@link #embed(List)}, {@code batch} texts per forward pass (1 = one at a time). */
    public Tensor embed(List<String> texts, int batch) { return embed(texts, batch, null); }

    /** As {@link #embed(List, int)}, telling {@code progress} how many texts each forward pass finished (null: no one). */
    public Tensor embed(List<String> texts, int batch, IntConsumer progress) {
        List<WordPiece.Encoding> enc = new ArrayList<>(texts.size());
        for (String s : texts) enc.add(tokenizer.encodeForModel(s, MAX_TOKENS));
        return embedEncodings(enc, batch, progress);
    }

    /** Unit vectors of already tokenised texts ({@code [CLS] … [SEP]}, pairs allowed), {@code batch} per pass. */
    public Tensor embedEncodings(List<WordPiece.Encoding> enc, int batch) { return embedEncodings(enc, batch, null); }

    /** As {@link #embedEncodings(List, int)}, telling {@code progress} how many texts each pass finished. */
    public Tensor embedEncodings(List<WordPiece.Encoding> enc, int batch, IntConsumer progress) {
        if (batch < 1) throw new IllegalArgumentException("MiniLm: batch must be >= 1, got " + batch);
        int n = enc.size(), c = encoder.config.width();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(enc.get(a).length(), enc.get(b).length()));   // similar lengths together
        float[] out = new float[n * c];
        // several passes: each weight is packed once for all of them (one pass would pack it for nothing)
        try (var ng = Tensor.noGrad(); var f = n > batch ? LinAlg.frozenWeights() : null) {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from), t = 0;
                int[] lengths = new int[b];
                for (int i = 0; i < b; i++) t += lengths[i] = enc.get(order[from + i]).length();
                int[] ids = new int[t], types = new int[t];
                for (int i = 0, at = 0; i < b; at += lengths[i++]) {                   // a ragged batch: no padding
                    WordPiece.Encoding e = enc.get(order[from + i]);
                    System.arraycopy(e.ids(), 0, ids, at, e.length());
                    System.arraycopy(e.typeIds(), 0, types, at, e.length());
                }
                float[] pooled = encoder.pooledRagged(ids, types, lengths).toArray();  // (b, C)
                for (int i = 0; i < b; i++) {
                    double norm = 0;
                    for (int j = 0; j < c; j++) norm += (double) pooled[i * c + j] * pooled[i * c + j];
                    float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
                    for (int j = 0; j < c; j++) out[order[from + i] * c + j] = pooled[i * c + j] * inv;
                }
                if (progress != null) progress.accept(b);
            }
        }
        return Tensor.wrap(out, n, c);
    }

    /** Reads the graph into an {@link Encoder}, checking every shape and that every float tensor is used once. */
    private static final class Loader {
        final Onnx.Graph g;
        final Set<String> used = new HashSet<>();

        Loader(Onnx.Graph g) { this.g = g; }

        Encoder load() {
            int[] words = init("embeddings.word_embeddings.weight").shape(), pos = init("embeddings.position_embeddings.weight").shape();
            int vocab = words[0], width = words[1], context = pos[0];
            int layers = 0;
            while (g.initializers().containsKey("encoder.layer." + layers + ".attention.self.query.bias")) layers++;
            int hidden = init("encoder.layer.0.intermediate.dense.bias").shape()[0];
            int heads = (int) g.constant(g.node("/encoder/layer.0/attention/self/Concat").inputs().get(2)).longs()[0];
            int types = init("embeddings.token_type_embeddings.weight").shape()[0];
            float eps = g.constant(g.node("/embeddings/LayerNorm/Add").inputs().get(1)).floats()[0];
            g.node("/encoder/layer.0/intermediate/intermediate_act_fn/Erf");           // exact GELU, or the graph is not BERT's
            TransformerConfig cfg = TransformerConfig.gpt2(vocab).toBuilder().arch(TransformerConfig.Arch.ENCODER).context(context)
                    .layers(layers).heads(heads).width(width).hidden(hidden).ffn(TransformerConfig.Ffn.GELU_ERF)
                    .postNorm(true).normEps(eps).typeVocab(types).build();              // GPT2 init: embeddings read as they are (no √C)
            Encoder enc = new Encoder(cfg, new Rng(0));
            copy(enc, "wte.weight", "embeddings.word_embeddings.weight");
            copy(enc, "wpe.weight", "embeddings.position_embeddings.weight");
            copy(enc, "wtt.weight", "embeddings.token_type_embeddings.weight");
            norm(enc, "ln_emb", "embeddings.LayerNorm", "/embeddings/LayerNorm/Add", eps);
            for (int l = 0; l < layers; l++) {
                String h = "h." + l + ".", e = "encoder.layer." + l + ".", n = "/encoder/layer." + l + "/";
                linear(enc, h + "attn.q", n + "attention/self/query/MatMul", e + "attention.self.query.bias");
                linear(enc, h + "attn.k", n + "attention/self/key/MatMul", e + "attention.self.key.bias");
                linear(enc, h + "attn.v", n + "attention/self/value/MatMul", e + "attention.self.value.bias");
                linear(enc, h + "attn.o", n + "attention/output/dense/MatMul", e + "attention.output.dense.bias");
                norm(enc, h + "ln_1", e + "attention.output.LayerNorm", n + "attention/output/LayerNorm/Add", eps);
                linear(enc, h + "mlp.w1", n + "intermediate/dense/MatMul", e + "intermediate.dense.bias");
                linear(enc, h + "mlp.w2", n + "output/dense/MatMul", e + "output.dense.bias");
                norm(enc, h + "ln_2", e + "output.LayerNorm", n + "output/LayerNorm/Add", eps);
            }
            for (Onnx.Initializer t : g.initializers().values())
                if (t.dataType() == Onnx.FLOAT && !used.contains(t.name())) throw new IllegalArgumentException("tensor '" + t.name() + "' is not used by the encoder");
            if (used.size() != enc.namedParameters().size())
                throw new IllegalStateException(enc.namedParameters().size() + " parameters but " + used.size() + " tensors copied");
            return enc;
        }

        Onnx.Initializer init(String name) {
            Onnx.Initializer t = g.initializers().get(name);
            if (t == null) throw new IllegalArgumentException("the graph has no tensor '" + name + "'");
            return t;
        }

        /** Copies tensor {@code from} into parameter {@code to}, shapes equal ({@code transpose}: (in, out) → (out, in)). */
        void copy(Encoder enc, String to, Onnx.Initializer from, boolean transpose) {
            Tensor p = enc.namedParameters().get(to);
            if (p == null) throw new IllegalStateException("the encoder has no parameter " + to);
            int[] want = p.shape(), got = from.shape();
            if (transpose) got = new int[] {got[1], got[0]};
            if (!Arrays.equals(want, got))
                throw new IllegalArgumentException("tensor '" + from.name() + "' has shape " + Arrays.toString(from.shape()) + ", " + to + " needs "
                        + Arrays.toString(want) + (transpose ? " transposed" : ""));
            if (!used.add(from.name())) throw new IllegalArgumentException("tensor '" + from.name() + "' is read twice");
            float[] v = from.floats(), dst = p.data();
            if (!transpose) System.arraycopy(v, 0, dst, 0, v.length);
            else {
                int in = got[1], out = got[0];                          // stored (in, out): v[i·out + o] = W[o][i]
                for (int i = 0; i < in; i++) for (int o = 0; o < out; o++) dst[o * in + i] = v[i * out + o];
            }
        }

        void copy(Encoder enc, String to, String from) { copy(enc, to, init(from), false); }

        void linear(Encoder enc, String to, String matmul, String bias) {
            copy(enc, to + ".weight", g.weightOf(matmul), true);
            copy(enc, to + ".bias", bias);
        }

        void norm(Encoder enc, String to, String from, String addNode, float eps) {
            float e = g.constant(g.node(addNode).inputs().get(1)).floats()[0];
            if (e != eps) throw new IllegalArgumentException(addNode + " has eps " + e + ", the embeddings' LayerNorm " + eps);
            copy(enc, to + ".weight", from + ".weight");
            copy(enc, to + ".bias", from + ".bias");
        }
    }
}
