package llmbook.io;

import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protocol-buffers wire format to read a file whose schema we know (ONNX).
 * A message is a run of fields; each field starts with a varint key {@code (number << 3) | wireType}:
 * <pre>
 *   wire type 0  varint: 7 bits per byte, low bits first, high bit set on every byte but the last
 *   wire type 1  8 bytes, little-endian (fixed64, double)
 *   wire type 2  a varint length, then that many bytes (strings, bytes, sub-messages, packed lists)
 *   wire type 5  4 bytes, little-endian (fixed32, float)
 * </pre>
 * Example: the bytes {@code 08 96 01} are field 1, wire type 0, value 150 (0x16 + (0x01 << 7)).
 * A reader sees one message: the bytes {@code [pos, end)} of a shared buffer; {@link #message()}
 * returns a reader over a sub-message without copying. Every read checks its bounds, so a truncated
 * or damaged file fails with {@link FormatException} naming the offset, never with an index error.
 */
final class Protobuf {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    /** A file that does not follow the wire format (or the schema the caller expects). */
    static final class FormatException extends RuntimeException {
        FormatException(String message) { super(message); }
    }

    final byte[] buf;
    private int pos;
    private final int end;
    private int wireType = -1;

    Protobuf(byte[] buf, int pos, int end) {
        this.buf = buf;
        this.pos = pos;
        this.end = end;
    }

    /** True while the message has another field. */
    boolean hasNext() { return pos < end; }

    /** Current offset in the whole buffer (for error messages). */
    int position() { return pos; }

    /** Reads the next key and returns its field number; {@link #wireType()} then says how to read the value. */
    int next() {
        int at = pos;
        long key = varint();
        wireType = (int) (key & 7);
        long field = key >>> 3;
        if (field == 0 || field > 536_870_911L) throw new FormatException("bad field number " + field + " at byte " + at);
        if (wireType != VARINT && wireType != FIXED64 && wireType != LEN && wireType != FIXED32)
            throw new FormatException("unsupported wire type " + wireType + " (field " + field + ") at byte " + at);
        return (int) field;
    }

    int wireType() { return wireType; }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new FormatException("truncated: a varint runs past the end of its message at byte " + end);
            int b = buf[pos++] & 0xff;
            v |= (long) (b & 0x7f) << shift;
            if (b < 0x80) return v;
        }
        throw new FormatException("a varint longer than 10 bytes ends at byte " + pos);
    }

    /** The value of a length-delimited field as a reader over its bytes. */
    Protobuf message() {
        expect(LEN);
        int at = pos;
        long n = varint();
        if (n < 0 || n > end - pos)
            throw new FormatException("truncated: a field of " + n + " bytes at byte " + at + " runs past the end of its message at byte " + end);
        Protobuf sub = new Protobuf(buf, pos, pos + (int) n);
        pos += (int) n;
        return sub;
    }

    String string() {
        Protobuf m = message();
        return new String(buf, m.pos, m.end - m.pos, StandardCharsets.UTF_8);
    }

    /** Start offset and length of a length-delimited value, without copying: {@code {offset, length}}. */
    int[] span() {
        Protobuf m = message();
        return new int[] {m.pos, m.end - m.pos};
    }

    float fixed32Float() {
        expect(FIXED32);
        if (end - pos < 4) throw new FormatException("truncated: a 4-byte value at byte " + pos + " runs past byte " + end);
        int bits = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    /** One varint value, or all of a packed list of them, appended to {@code out}; returns the new count. */
    int varints(long[][] out, int count) {
        if (wireType == LEN) {
            Protobuf m = message();
            while (m.hasNext()) count = add(out, count, m.varint());
            return count;
        }
        expect(VARINT);
        return add(out, count, varint());
    }

    private static int add(long[][] out, int count, long v) {
        if (count == out[0].length) out[0] = java.util.Arrays.copyOf(out[0], Math.max(4, count * 2));
        out[0][count] = v;
        return count + 1;
    }

    /** Skips the value of the field just read by {@link #next()}. */
    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case LEN -> message();
            case FIXED64, FIXED32 -> {
                int n = wireType == FIXED64 ? 8 : 4;
                if (end - pos < n) throw new FormatException("truncated: a " + n + "-byte value at byte " + pos + " runs past byte " + end);
                pos += n;
            }
            default -> throw new IllegalStateException("next() was not called");
        }
    }

    private void expect(int type) {
        if (wireType != type) throw new FormatException("field at byte " + pos + " has wire type " + wireType + ", expected " + type);
    }
}
