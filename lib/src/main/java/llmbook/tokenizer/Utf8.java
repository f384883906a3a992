package llmbook.tokenizer;

/** UTF-8 encoding of a range of a string, byte for byte what {@code String.getBytes(UTF_8)} writes. */
final class Utf8 {
    private Utf8() {}

    /**
     * Writes the UTF-8 bytes of {@code t[from, to)} into {@code b} (which must hold
     * {@code 3 * (to - from)} bytes) and returns their number. A surrogate pair becomes 4 bytes; an
     * unpaired surrogate becomes {@code '?'}, Java's replacement.
     */
    static int encode(String t, int from, int to, byte[] b) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < 0x80) {
                b[n++] = (byte) c;
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | (c >> 6));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(t.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, t.charAt(++i));
                    b[n++] = (byte) (0xF0 | (cp >> 18));
                    b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[n++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[n++] = '?';
                }
            } else {
                b[n++] = (byte) (0xE0 | (c >> 12));
                b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }
}
