package llmbook.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import llmbook.io.MiniLmJar;
import llmbook.util.Json;

/**
 * WordPiece, BERT's tokenizer: the other big subword family next to byte-level BPE (Q1, Q6).
 * Where BPE builds a word up by replaying merges, WordPiece cuts it down by <b>greedy longest
 * match</b>: take the longest vocabulary entry that starts the word, then the longest that
 * continues it (continuations are spelled with a {@code ##} prefix), and so on; if some position
 * cannot be matched, the whole word becomes {@code [UNK]}. With the vocabulary of BERT uncased
 * ({@link #minilm()}, 30,522 entries):
 * <pre>
 *   "Unaffable tokenizers!"  normalise   "unaffable tokenizers!"
 *                            split       [unaffable] [tokenizers] [!]
 *                            match       una ##ffa ##ble | token ##izer ##s | !
 *   ids                                  [14477, 20961, 3468, 19204, 17629, 2015, 999]
 * </pre>
 * Greedy, not best: "una" is taken because it is longer than "un", though "un ##aff ##able" would
 * read better. Matching never looks back.
 * The three steps, as in Hugging Face's {@code BertNormalizer}, {@code BertPreTokenizer} and
 * {@code WordPiece} model:
 * <ol>
 * <li><b>normalise</b> — drop NUL, U+FFFD and control/format characters; every white-space character
 *     becomes a space; put spaces around CJK ideographs (each becomes a word); strip accents
 *     (decompose to NFD, drop non-spacing marks: "café" → "cafe"); lower-case.</li>
 * <li><b>split</b> into words at white space, and make every punctuation character (ASCII punctuation
 *     and Unicode's P* categories) a word of its own: "don't" → [don] ['] [t].</li>
 * <li><b>match</b> each word greedily; a word longer than 100 characters is {@code [UNK]} outright.</li>
 * </ol>
 * The special tokens {@code [PAD] [UNK] [CLS] [SEP] [MASK]} written in the text are recognised as
 * themselves (not normalised). {@link #encode(String)} gives the word pieces only, as every
 * {@link Tokenizer} does; {@link #encodeForModel} adds BERT's frame — {@code [CLS] a [SEP]} or
 * {@code [CLS] a [SEP] b [SEP]} with token-type ids 0 for the first part and 1 for the second — and
 * truncates to a length limit. Not lossless: case, accents and spacing are gone after encoding.
 */
public final class WordPiece implements Tokenizer {
    public static final String UNK = "[UNK]", CLS = "[CLS]", SEP = "[SEP]", PAD = "[PAD]", MASK = "[MASK]";
    static final String PREFIX = "##";

    private final String name;
    private final String[] pieces;                 // id -> token text
    private final Map<String, Integer> ids;        // token text -> id
    private final String[] specials;               // recognised verbatim in the input
    private final int unk, cls, sep;
    private final int maxCharsPerWord;
    private final int longestPiece;                // in code points, "##" not counted

    /** A tokenizer over {@code vocab} (id = position), which must hold the five special tokens. */
    public WordPiece(String name, List<String> vocab, int maxCharsPerWord) {
        this.name = name;
        this.pieces = vocab.toArray(new String[0]);
        this.ids = new HashMap<>(vocab.size() * 2);
        int longest = 1;
        for (int i = 0; i < pieces.length; i++) {
            if (ids.putIfAbsent(pieces[i], i) != null) throw new IllegalArgumentException("vocabulary: '" + pieces[i] + "' appears twice");
            String p = pieces[i].startsWith(PREFIX) ? pieces[i].substring(2) : pieces[i];
            longest = Math.max(longest, p.codePointCount(0, p.length()));
        }
        this.longestPiece = longest;
        this.specials = new String[] {PAD, UNK, CLS, SEP, MASK};
        for (String s : specials) if (!ids.containsKey(s)) throw new IllegalArgumentException("vocabulary has no " + s + " token");
        this.unk = ids.get(UNK);
        this.cls = ids.get(CLS);
        this.sep = ids.get(SEP);
        if (maxCharsPerWord < 1) throw new IllegalArgumentException("maxCharsPerWord must be >= 1, got " + maxCharsPerWord);
        this.maxCharsPerWord = maxCharsPerWord;
    }

    private static final class Holder {
        static final WordPiece MINILM = load();

        private static WordPiece load() {
            try {
                return fromJson("minilm", new String(MiniLmJar.read(MiniLmJar.TOKENIZER), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The uncased BERT vocabulary of all-MiniLM-L6-v2, from {@link MiniLmJar#TOKENIZER}; loaded once. */
    public static WordPiece minilm() {
        return Holder.MINILM;
    }

    /** Reads a Hugging Face {@code tokenizer.json} whose model is WordPiece with a BERT normaliser. */
    public static WordPiece fromJson(String name, String json) {
        Map<String, Object> root = Json.parseObject(json);
        if (!(root.get("model") instanceof Map<?, ?> model) || !"WordPiece".equals(model.get("type")))
            throw new IllegalArgumentException("tokenizer.json: model.type is not WordPiece");
        if (!(model.get("vocab") instanceof Map<?, ?> vocab)) throw new IllegalArgumentException("tokenizer.json: model.vocab is not an object");
        if (root.get("normalizer") instanceof Map<?, ?> norm && !"BertNormalizer".equals(norm.get("type")))
            throw new IllegalArgumentException("tokenizer.json: normalizer " + norm.get("type") + " is not BertNormalizer");
        String[] byId = new String[vocab.size()];
        for (var e : vocab.entrySet()) {
            int id = ((Number) e.getValue()).intValue();
            if (id < 0 || id >= byId.length || byId[id] != null)
                throw new IllegalArgumentException("tokenizer.json: vocabulary ids are not 0.." + (byId.length - 1) + " (id " + id + ")");
            byId[id] = (String) e.getKey();
        }
        Object max = model.get("max_input_chars_per_word");
        return new WordPiece(name, Arrays.asList(byId), max == null ? 100 : ((Number) max).intValue());
    }

    @Override public String name() { return name; }
    @Override public int vocabSize() { return pieces.length; }
    @Override public boolean lossless() { return false; }

    /** The id of a token's text, or -1. */
    public int id(String piece) {
        return ids.getOrDefault(piece, -1);
    }

    @Override
    public String piece(int id) {
        check(id);
        return pieces[id];
    }

    /** Step 1: BERT's normalisation (see the class comment). {@code "Héllo\tWORLD"} → {@code "hello world"}. */
    public static String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == 0 || c == 0xFFFD || isControl(c)) continue;
            if (isWhitespace(c)) sb.append(' ');
            else if (isCjk(c)) sb.append(' ').appendCodePoint(c).append(' ');
            else sb.appendCodePoint(c);
        }
        String nfd = Normalizer.normalize(sb, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int c = nfd.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) != Character.NON_SPACING_MARK) out.appendCodePoint(c);
        }
        // Lower-case character by character, as Hugging Face does: no final-sigma rule (Σ is always σ).
        return out.toString().replace('\u03A3', '\u03C3').toLowerCase(Locale.ROOT);
    }

    /** Step 2: words of normalised text — split at white space, each punctuation character alone. */
    public static List<String> words(String normalized) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < normalized.length(); ) {
            int c = normalized.codePointAt(i);
            int next = i + Character.charCount(c);
            if (isWhitespace(c) || isPunctuation(c)) {
                if (start >= 0) words.add(normalized.substring(start, i));
                start = -1;
                if (!isWhitespace(c)) words.add(normalized.substring(i, next));
            } else if (start < 0) start = i;
            i = next;
        }
        if (start >= 0) words.add(normalized.substring(start));
        return words;
    }

    /** Step 3: greedy longest match of one word; appends the ids, or {@code [UNK]} if some part cannot be matched. */
    void encodeWord(String word, IntList out) {
        int n = word.codePointCount(0, word.length());
        if (n > maxCharsPerWord) { out.add(unk); return; }
        int mark = out.size;
        int start = 0; // a char index at a code-point boundary
        while (start < word.length()) {
            int end = word.offsetByCodePoints(start, Math.min(longestPiece, word.codePointCount(start, word.length())));
            int found = -1;
            while (end > start) {
                String sub = word.substring(start, end);
                Integer id = ids.get(start > 0 ? PREFIX + sub : sub);
                if (id != null) { found = id; break; }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found < 0) { out.size = mark; out.add(unk); return; }
            out.add(found);
            start = end;
        }
    }

    /** The word-piece ids of {@code word} (already normalised, no spaces): "tokenizers" → token ##izer ##s. */
    public int[] encodeWord(String word) {
        IntList out = new IntList(8);
        encodeWord(word, out);
        return out.toArray();
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 4 + 4);
        int from = 0;
        while (from < text.length()) {
            int at = text.length(), which = -1;
            for (int s = 0; s < specials.length; s++) {
                int k = text.indexOf(specials[s], from);
                if (k >= 0 && k < at) { at = k; which = s; }
            }
            for (String w : words(normalize(text.substring(from, at)))) encodeWord(w, out);
            if (which < 0) break;
            out.add(ids.get(specials[which]));
            from = at + specials[which].length();
        }
        return out.toArray();
    }

    /** Model input: ids, token-type ids (0 for {@code [CLS] a [SEP]}, 1 for {@code b [SEP]}); attention mask is all ones. */
    public record Encoding(int[] ids, int[] typeIds) {
        public int length() { return ids.length; }
    }

    /** {@code [CLS] a [SEP]}, truncated to {@code maxLength} tokens (the end of {@code a} is cut). */
    public Encoding encodeForModel(String a, int maxLength) {
        return encodeForModel(a, null, maxLength);
    }

    /**
     * {@code [CLS] a [SEP] b [SEP]} ({@code b} may be null: {@code [CLS] a [SEP]}), at most {@code maxLength} tokens.
     * Too long a pair loses tokens from the end of the longer part first ("longest first"), as Hugging Face does.
     */
    public Encoding encodeForModel(String a, String b, int maxLength) {
        int frame = b == null ? 2 : 3;
        if (maxLength < frame) throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for " + frame + " special tokens");
        int[] x = encode(a), y = b == null ? new int[0] : encode(b);
        int room = maxLength - frame;
        if (x.length + y.length > room) {
            // longest first: the longer part shrinks to what the shorter leaves; if the shorter alone
            // takes more than half, both get half (the longer one the odd token)
            int n1 = Math.min(x.length, y.length), n2;
            n2 = n1 > room ? n1 : Math.max(n1, room - n1);
            if (n1 + n2 > room) { n1 = room / 2; n2 = n1 + room % 2; }
            boolean xShorter = x.length <= y.length;
            x = Arrays.copyOf(x, Math.min(x.length, xShorter ? n1 : n2));
            y = Arrays.copyOf(y, Math.min(y.length, xShorter ? n2 : n1));
        }
        int n = x.length + y.length + frame;
        int[] ids = new int[n], types = new int[n];
        int k = 0;
        ids[k++] = cls;
        for (int id : x) ids[k++] = id;
        ids[k++] = sep;
        if (b != null) {
            int from = k;
            for (int id : y) ids[k++] = id;
            ids[k++] = sep;
            Arrays.fill(types, from, n, 1);
        }
        return new Encoding(ids, types);
    }

    /**
     * Joins pieces with spaces, gluing {@code ##} continuations to the piece before and removing the space
     * before {@code . ? ! ,} (Hugging Face's WordPiece decoder with cleanup). Special tokens are kept.
     */
    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 4);
        for (int i = 0; i < ids.length; i++) {
            String p = piece(ids[i]);
            if (i > 0) {
                if (p.startsWith(PREFIX)) p = p.substring(2);
                else if (!(p.length() == 1 && ".?!,".indexOf(p.charAt(0)) >= 0)) sb.append(' ');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    private void check(int id) {
        if (id < 0 || id >= pieces.length) throw new IllegalArgumentException("token id " + id + " outside [0, " + pieces.length + ")");
    }

    /** White space as Unicode's White_Space property (Rust's char::is_whitespace), which Java's isWhitespace is not. */
    static boolean isWhitespace(int c) {
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** Control, format, unassigned, private-use and surrogate code points, except tab, newline and carriage return. */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') return false;
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED || t == Character.PRIVATE_USE
                || t == Character.SURROGATE;
    }

    /** ASCII punctuation (including {@code $+<=>^`|~}, which Unicode calls symbols) or any Unicode P* character. */
    static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
        int t = Character.getType(c);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION || t == Character.START_PUNCTUATION
                || t == Character.END_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                || t == Character.FINAL_QUOTE_PUNCTUATION || t == Character.OTHER_PUNCTUATION;
    }

    /** The CJK Unified Ideographs blocks BERT puts spaces around (not Hiragana, Katakana or Hangul). */
    static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
