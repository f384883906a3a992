package llmbook.tokenizer;

/**
 * Text to token ids and back (Q1, Q6). Every tokenizer in this package implements it, and the
 * same contract tests run over each one ({@code TokenizerContractTest}).
 *
 * <p>Contract: {@code encode("")} is empty; every id is in {@code [0, vocabSize())};
 * {@code decode(encode(s))} returns {@code s} for text the tokenizer can represent. A
 * {@link #lossless()} tokenizer (byte-level BPE) can represent every string: its round trip
 * returns {@code new String(s.getBytes(UTF_8), UTF_8)}, which is {@code s} itself unless
 * {@code s} holds an unpaired surrogate (Java's UTF-8 encoder writes {@code '?'} for it). The
 * others map what they have never seen to an {@code <unk>} id, and that information is lost.
 */
public interface Tokenizer {
    /** A short name for tables: "gpt2", "bpe-4096", "char", "word-5000". */
    String name();

    /** Number of ids, special tokens included. */
    int vocabSize();

    int[] encode(String text);

    String decode(int[] ids);

    /** The text of one token, readable: bytes that are not whole UTF-8 characters appear as {@code \xNN}. */
    String piece(int id);

    /** True if every string survives {@code decode(encode(s))} (see the class comment). */
    boolean lossless();
}
