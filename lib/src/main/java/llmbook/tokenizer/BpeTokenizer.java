package llmbook.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-level byte-pair-encoding tokenizer (Q1, Q6): the GPT-2 / GPT-4 kind.
 *
 * <p>Encoding, for each piece of the {@link SplitPattern pre-split}: start from the piece's UTF-8
 * bytes, one token per byte; then, while some adjacent pair {@code (a, b)} is in the merge table,
 * replace the pair with the <em>lowest</em> merged id (leftmost on ties) by that id. Example with
 * merges {@code (104,105)->256 "hi"} and {@code (256,33)->257 "hi!"}: {@code "hi!"} is
 * {@code [104,105,33] -> [256,33] -> [257]}. Because 256 byte tokens are always present, no input
 * is ever out of vocabulary; decode concatenates the tokens' bytes and reads them as UTF-8.
 *
 * <p>Two kinds of table give the same algorithm:
 * <ul>
 *   <li>{@link #fromMerges trained merges} ({@link BpeTrainer}): merge i is the pair
 *       {@code (left[i], right[i])} and creates id {@code 256 + i};
 *   <li>{@link #fromRanks tiktoken ranks} (GPT-2's r50k_base, {@link #gpt2()}): a list of byte
 *       strings whose index is both id and merge priority; any two tokens whose concatenation is a
 *       token may merge, and a piece that is itself a token is emitted whole, as tiktoken does.
 * </ul>
 *
 * <p>Cost: a piece of n bytes is merged with a plain array scan when short (n &le; 64, nearly all
 * of them) and with a linked list plus a min-heap of pair ranks otherwise, O(n log n), so a
 * megabyte of one repeated character does not go quadratic.
 *
 * <p>Special tokens (e.g. {@code <|endoftext|>}) are matched in the raw text before pre-splitting
 * and are never split; they are configurable per tokenizer.
 */
public final class BpeTokenizer implements Tokenizer {
    private static final int SMALL = 64;

    private final String name;
    private final SplitPattern pattern;
    private final byte[][] vocab;            // id -> bytes (special tokens: their UTF-8 text)
    private final int[] byteToId = new int[256];
    private final PairMap merges;            // (a, b) -> merged id; a lower id merges first
    private final BytesMap wholePieces;      // tiktoken mode only: piece bytes -> id
    private final int[] mergeLeft, mergeRight; // merge mode only (for saving)
    private final Map<String, Integer> specials;
    private final String[] specialText;
    private final int[] specialId;

    private BpeTokenizer(String name, SplitPattern pattern, byte[][] vocab, PairMap merges, boolean wholePieceLookup,
                         int[] left, int[] right, Map<String, Integer> specials) {
        this.name = name;
        this.pattern = pattern;
        this.vocab = vocab;
        this.merges = merges;
        this.mergeLeft = left;
        this.mergeRight = right;
        java.util.Arrays.fill(byteToId, -1);
        for (int id = 0; id < vocab.length; id++) {
            if (vocab[id] != null && vocab[id].length == 1 && !specials.containsValue(id) && byteToId[vocab[id][0] & 0xff] < 0) {
                byteToId[vocab[id][0] & 0xff] = id;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (byteToId[b] < 0) throw new IllegalArgumentException("vocabulary has no token for byte " + b);
        }
        this.wholePieces = wholePieceLookup ? new BytesMap(vocab, vocab.length) : null;
        this.specials = Collections.unmodifiableMap(new LinkedHashMap<>(specials));
        this.specialText = specials.keySet().toArray(new String[0]);
        this.specialId = specials.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * A tokenizer from trained merges: merge i joins {@code (left[i], right[i])} into id
     * {@code 256 + i}; special tokens get the ids after the merges, in list order.
     */
    public static BpeTokenizer fromMerges(String name, SplitPattern pattern, int[] left, int[] right, List<String> specials) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("left has " + left.length + " merges but right has " + right.length);
        }
        int n = left.length;
        byte[][] vocab = new byte[256 + n + specials.size()][];
        for (int b = 0; b < 256; b++) vocab[b] = new byte[] {(byte) b};
        PairMap table = new PairMap(n);
        for (int i = 0; i < n; i++) {
            int id = 256 + i;
            if (left[i] < 0 || left[i] >= id || right[i] < 0 || right[i] >= id) {
                throw new IllegalArgumentException("merge " + i + " (" + left[i] + ", " + right[i]
                        + ") uses an id that does not exist yet; ids so far are [0, " + id + ")");
            }
            byte[] a = vocab[left[i]], b = vocab[right[i]];
            byte[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, ab, a.length, b.length);
            vocab[id] = ab;
            if (table.get(left[i], right[i]) == PairMap.MISSING) table.put(left[i], right[i], id);
        }
        Map<String, Integer> sp = new LinkedHashMap<>();
        for (String s : specials) {
            if (s.isEmpty()) throw new IllegalArgumentException("a special token cannot be empty");
            if (sp.containsKey(s)) throw new IllegalArgumentException("special token " + s + " given twice");
            int id = 256 + n + sp.size();
            sp.put(s, id);
            vocab[id] = s.getBytes(StandardCharsets.UTF_8);
        }
        return new BpeTokenizer(name, pattern, vocab, table, false, left.clone(), right.clone(), sp);
    }

    /**
     * A tokenizer from tiktoken-style ranks: {@code tokens[id]} are the bytes of token {@code id}
     * (null for ids taken by special tokens), and the id is also the merge priority.
     */
    public static BpeTokenizer fromRanks(String name, SplitPattern pattern, byte[][] tokens, Map<String, Integer> specials) {
        int size = tokens.length;
        for (int id : specials.values()) size = Math.max(size, id + 1);
        byte[][] vocab = java.util.Arrays.copyOf(tokens, size);
        BytesMap lookup = new BytesMap(tokens, tokens.length);
        PairMap table = new PairMap(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            byte[] t = tokens[id];
            if (t == null || t.length < 2) continue;
            for (int k = 1; k < t.length; k++) {       // every split into two tokens may merge into t
                int a = lookup.get(t, 0, k);
                int b = lookup.get(t, k, t.length);
                if (a >= 0 && b >= 0) table.put(a, b, id);
            }
        }
        for (var e : specials.entrySet()) {
            if (vocab[e.getValue()] != null) {
                throw new IllegalArgumentException("special token " + e.getKey() + " reuses id " + e.getValue());
            }
            vocab[e.getValue()] = e.getKey().getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Integer> byId = new LinkedHashMap<>();
        specials.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> byId.put(e.getKey(), e.getValue()));
        return new BpeTokenizer(name, pattern, vocab, table, true, null, null, byId);
    }

    /** GPT-2's tokenizer (r50k_base, 50,257 ids, {@code <|endoftext|>} = 50256), encoded by our code. */
    public static BpeTokenizer gpt2() {
        return Gpt2Ranks.tokenizer();
    }

    /**
     * GPT-4's tokenizer (cl100k_base, 100,256 ranks plus five special tokens), encoded by our code
     * with the {@link SplitPattern#CL100K} pre-split.
     */
    public static BpeTokenizer cl100k() {
        return Gpt2Ranks.cl100k();
    }

    /** Loads a tokenizer saved by {@link #save}; see {@link BpeFile} for the format and checks. */
    public static BpeTokenizer load(Path file) throws java.io.IOException {
        return BpeFile.read(file);
    }

    /** Saves this (trained) tokenizer atomically; see {@link BpeFile}. */
    public void save(Path file) throws java.io.IOException {
        BpeFile.write(this, file);
    }

    // ---- encode ------------------------------------------------------------------------------

    /** Scratch buffers of one encode call (so one tokenizer can encode on many threads). */
    private static final class Scratch {
        byte[] bytes = new byte[256];
        int[] ids = new int[256];
        int[] ranks = new int[256];
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3 + 8);
        Scratch s = new Scratch();
        if (specialText.length == 0) {
            encodeOrdinary(text, 0, text.length(), out, s);
            return out.toArray();
        }
        int[] next = new int[specialText.length];
        for (int k = 0; k < next.length; k++) next[k] = text.indexOf(specialText[k]);
        int pos = 0;
        while (true) {
            int best = -1;
            for (int k = 0; k < next.length; k++) {
                if (next[k] >= 0 && next[k] < pos) next[k] = text.indexOf(specialText[k], pos);
                if (next[k] < 0) continue;
                if (best < 0 || next[k] < next[best]
                        || (next[k] == next[best] && specialText[k].length() > specialText[best].length())) best = k;
            }
            if (best < 0) break;
            encodeOrdinary(text, pos, next[best], out, s);
            out.add(specialId[best]);
            pos = next[best] + specialText[best].length();
        }
        encodeOrdinary(text, pos, text.length(), out, s);
        return out.toArray();
    }

    /** Encodes {@code text} treating special-token strings as ordinary text. */
    public int[] encodeOrdinary(String text) {
        IntList out = new IntList(text.length() / 3 + 8);
        encodeOrdinary(text, 0, text.length(), out, new Scratch());
        return out.toArray();
    }

    private void encodeOrdinary(String text, int from, int to, IntList out, Scratch s) {
        pattern.forEachPiece(text, from, to, (a, b) -> encodePiece(text, a, b, out, s));
    }

    private void encodePiece(String text, int from, int to, IntList out, Scratch s) {
        if (s.bytes.length < (to - from) * 3) s.bytes = new byte[(to - from) * 3];
        byte[] bytes = s.bytes;
        int n = Utf8.encode(text, from, to, bytes);
        if (n == 1) {
            out.add(byteToId[bytes[0] & 0xff]);
            return;
        }
        if (wholePieces != null) {
            int id = wholePieces.get(bytes, 0, n);
            if (id >= 0) {
                out.add(id);
                return;
            }
        }
        if (n <= SMALL) mergeSmall(n, out, s);
        else mergeLarge(bytes, n, out);
    }

    /** Array scan: find the lowest-ranked adjacent pair, merge it, repeat. O(n^2) worst case, n <= 64. */
    private void mergeSmall(int n, IntList out, Scratch s) {
        int[] ids = s.ids, ranks = s.ranks;
        for (int i = 0; i < n; i++) ids[i] = byteToId[s.bytes[i] & 0xff];
        for (int i = 0; i + 1 < n; i++) ranks[i] = merges.get(ids[i], ids[i + 1]);
        while (n > 1) {
            int best = PairMap.MISSING, at = -1;
            for (int i = 0; i + 1 < n; i++) {
                if (ranks[i] < best) {
                    best = ranks[i];
                    at = i;
                }
            }
            if (at < 0) break;
            ids[at] = best;                                             // (a, b) -> best
            System.arraycopy(ids, at + 2, ids, at + 1, n - at - 2);
            System.arraycopy(ranks, at + 2, ranks, at + 1, Math.max(0, n - at - 3));
            n--;
            if (at > 0) ranks[at - 1] = merges.get(ids[at - 1], ids[at]);
            if (at + 1 < n) ranks[at] = merges.get(ids[at], ids[at + 1]);
        }
        for (int i = 0; i < n; i++) out.add(ids[i]);
    }

    /** Linked list of parts plus a min-heap keyed (rank, position): O(n log n) for long pieces. */
    private void mergeLarge(byte[] bytes, int n, IntList out) {
        int[] tok = new int[n], prev = new int[n], next = new int[n];
        for (int i = 0; i < n; i++) {
            tok[i] = byteToId[bytes[i] & 0xff];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            int r = merges.get(tok[i], tok[i + 1]);
            if (r != PairMap.MISSING) heap.push(((long) r << 32) | i);
        }
        while (!heap.isEmpty()) {
            long e = heap.pop();
            int r = (int) (e >>> 32), i = (int) e;
            if (tok[i] < 0 || next[i] < 0) continue;                 // stale: part gone or now last
            int j = next[i];
            if (merges.get(tok[i], tok[j]) != r) continue;           // stale: a neighbour changed
            tok[i] = r;
            tok[j] = -1;
            next[i] = next[j];
            if (next[j] >= 0) prev[next[j]] = i;
            if (prev[i] >= 0) {
                int rl = merges.get(tok[prev[i]], r);
                if (rl != PairMap.MISSING) heap.push(((long) rl << 32) | prev[i]);
            }
            if (next[i] >= 0) {
                int rr = merges.get(r, tok[next[i]]);
                if (rr != PairMap.MISSING) heap.push(((long) rr << 32) | i);
            }
        }
        for (int i = 0; i >= 0; i = next[i]) out.add(tok[i]);
    }

    // ---- decode ------------------------------------------------------------------------------

    /** The concatenated bytes of the tokens. */
    public byte[] decodeBytes(int[] ids) {
        int n = 0;
        for (int id : ids) n += tokenBytes(id).length;
        byte[] out = new byte[n];
        int at = 0;
        for (int id : ids) {
            byte[] t = vocab[id];
            System.arraycopy(t, 0, out, at, t.length);
            at += t.length;
        }
        return out;
    }

    /** The bytes read as UTF-8 (invalid sequences, e.g. a cut character, become U+FFFD). */
    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of one token (do not modify). */
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= vocab.length || vocab[id] == null) {
            throw new IllegalArgumentException("token id " + id + " is not in the vocabulary [0, " + vocab.length + ")");
        }
        return vocab[id];
    }

    @Override
    public String piece(int id) {
        return Pieces.readable(tokenBytes(id));
    }

    /** The readable pieces of an encoding, e.g. {@code ["Hello", " world"]}. */
    public List<String> pieces(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(piece(id));
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return vocab.length;
    }

    @Override
    public boolean lossless() {
        return true;
    }

    public SplitPattern pattern() {
        return pattern;
    }

    /** Special tokens and their ids, in id order. */
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    /** Number of merges (trained tokenizers; -1 for one loaded from ranks). */
    public int mergeCount() {
        return mergeLeft == null ? -1 : mergeLeft.length;
    }

    /** Left id of each merge (trained tokenizers only), a copy. */
    public int[] mergeLeft() {
        return requireMerges().clone();
    }

    /** Right id of each merge (trained tokenizers only), a copy. */
    public int[] mergeRight() {
        requireMerges();
        return mergeRight.clone();
    }

    /**
     * The same tokenizer cut to its first {@code vocabSize - 256 - specials} merges. Because
     * training is greedy, this equals training to that size from the start: one run to 8k gives
     * every smaller vocabulary (the bytes-per-token curve of chapter 2).
     */
    public BpeTokenizer withVocabSize(int vocabSize) {
        requireMerges();
        int n = vocabSize - 256 - specials.size();
        if (n < 0 || n > mergeLeft.length) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is outside [" + (256 + specials.size())
                    + ", " + vocab.length + "] for " + name);
        }
        return fromMerges("bpe-" + vocabSize, pattern, java.util.Arrays.copyOf(mergeLeft, n),
                java.util.Arrays.copyOf(mergeRight, n), List.copyOf(specials.keySet()));
    }

    /** A copy with another name (e.g. the file it was loaded from). */
    public BpeTokenizer named(String newName) {
        requireMerges();
        return fromMerges(newName, pattern, mergeLeft, mergeRight, List.copyOf(specials.keySet()));
    }

    private int[] requireMerges() {
        if (mergeLeft == null) {
            throw new IllegalStateException(name + " was loaded from ranks and has no merge list; only trained tokenizers do");
        }
        return mergeLeft;
    }

    @Override
    public String toString() {
        return "BpeTokenizer[" + name + ", " + vocab.length + " ids, pattern " + pattern + ", specials " + specials.keySet() + "]";
    }
}
