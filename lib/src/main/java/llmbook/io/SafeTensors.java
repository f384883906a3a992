package llmbook.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import llmbook.util.AtomicFiles;
import llmbook.util.Json;

/**
 * Reads and writes the safetensors format, the one the Hugging Face ecosystem uses for weights:
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   UTF-8 JSON: {"__metadata__": {string: string}, "name": {"dtype": "F32", "shape": [..],
 *             "data_offsets": [begin, end]}, ...}, padded with spaces to a multiple of 8
 *   the rest  the tensors' bytes, little-endian, offsets relative to the end of the header
 * </pre>
 * Only float32 ({@code F32}) tensors. Writes are atomic (temp file, fsync, rename): a crash leaves the
 * previous file whole. Reads check everything and refuse a bad file with the reason: too short, a header
 * longer than the file, bad JSON, an unknown dtype, a shape that does not match its byte span, offsets that
 * overlap, leave holes or run past the data, trailing bytes.
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** A tensor as plain data: its shape and row-major values. */
    public record Entry(int[] shape, float[] data) {
        public Entry {
            long n = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("safetensors: negative dimension in shape " + java.util.Arrays.toString(shape));
                n *= d;
            }
            if (n != data.length)
                throw new IllegalArgumentException("safetensors: shape " + java.util.Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
    }

    /** A whole file: tensors in file order and the string metadata. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {}

    private static final long MAX_HEADER = 100L << 20;

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, atomically. */
    public static void write(Path file, Map<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
        long off = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("safetensors: '__metadata__' is not a tensor name");
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("dtype", "F32");
            List<Object> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) shape.add((long) d);
            h.put("shape", shape);
            long end = off + 4L * e.getValue().data().length;
            h.put("data_offsets", List.of(off, end));
            header.put(e.getKey(), h);
            off = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        AtomicFiles.replace(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) head.put((byte) ' ');
                head.flip();
                while (head.hasRemaining()) ch.write(head);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (Entry e : tensors.values()) {
                    for (float v : e.data()) {
                        if (!buf.hasRemaining()) { buf.flip(); while (buf.hasRemaining()) ch.write(buf); buf.clear(); }
                        buf.putFloat(v);
                    }
                }
                buf.flip();
                while (buf.hasRemaining()) ch.write(buf);
            }
        });
    }

    /** Reads a whole file, refusing it with the reason if anything is inconsistent. */
    public static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        String where = "safetensors file " + file;
        if (size < 8) throw new IOException(where + " is " + size + " bytes: too short for the 8-byte header length (truncated?)");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf);
            long n = lenBuf.flip().getLong();
            if (n < 2 || n > MAX_HEADER || n > size - 8)
                throw new IOException(where + ": header length " + n + " does not fit a file of " + size + " bytes (truncated or not safetensors)");
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb);
            Map<String, Object> header;
            try {
                header = Json.parseObject(new String(hb.array(), StandardCharsets.UTF_8).stripTrailing());
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": the header is not valid JSON: " + e.getMessage());
            }
            long dataSize = size - 8 - n;
            Map<String, String> metadata = new LinkedHashMap<>();
            record Span(String name, long begin, long end, int[] shape) {}
            List<Span> spans = new ArrayList<>();
            for (var e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    if (!(e.getValue() instanceof Map<?, ?> m)) throw new IOException(where + ": __metadata__ must be an object");
                    for (var me : m.entrySet()) metadata.put(String.valueOf(me.getKey()), String.valueOf(me.getValue()));
                    continue;
                }
                if (!(e.getValue() instanceof Map<?, ?> t)) throw new IOException(where + ": tensor '" + e.getKey() + "' is not an object");
                if (!"F32".equals(t.get("dtype")))
                    throw new IOException(where + ": tensor '" + e.getKey() + "' has dtype " + t.get("dtype") + "; llmbook reads F32 only");
                int[] shape = ints(t.get("shape"), where, e.getKey(), "shape");
                int[] offs = ints(t.get("data_offsets"), where, e.getKey(), "data_offsets");
                if (offs.length != 2) throw new IOException(where + ": tensor '" + e.getKey() + "' data_offsets must be [begin, end]");
                long numel = 1;
                for (int d : shape) numel *= d;
                if ((long) offs[1] - offs[0] != 4 * numel)
                    throw new IOException(where + ": tensor '" + e.getKey() + "' of shape " + java.util.Arrays.toString(shape) + " needs "
                            + 4 * numel + " bytes, its offsets span " + ((long) offs[1] - offs[0]));
                spans.add(new Span(e.getKey(), offs[0], offs[1], shape));
            }
            List<Span> sorted = new ArrayList<>(spans);
            sorted.sort((a, b) -> Long.compare(a.begin(), b.begin()));
            long expect = 0;
            for (Span s : sorted) {
                if (s.begin() != expect)
                    throw new IOException(where + ": tensor '" + s.name() + "' starts at byte " + s.begin() + ", expected " + expect + " (overlap or hole)");
                expect = s.end();
            }
            if (expect != dataSize)
                throw new IOException(where + ": the tensors cover " + expect + " bytes but the file holds " + dataSize
                        + " after the header" + (dataSize < expect ? " (truncated)" : " (trailing bytes)"));
            ByteBuffer data = ByteBuffer.allocate((int) dataSize).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, data);
            data.flip();
            Map<String, Entry> tensors = new LinkedHashMap<>();
            for (Span s : spans) {
                float[] v = new float[(int) ((s.end() - s.begin()) / 4)];
                data.position((int) s.begin());
                data.asFloatBuffer().get(v);
                tensors.put(s.name(), new Entry(s.shape(), v));
            }
            return new Contents(tensors, metadata);
        }
    }

    private static int[] ints(Object o, String where, String name, String field) throws IOException {
        if (!(o instanceof List<?> l)) throw new IOException(where + ": tensor '" + name + "' has no " + field + " list");
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE)
                throw new IOException(where + ": tensor '" + name + "' " + field + " must hold non-negative integers, got " + l);
            out[i] = (int) (long) v;
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) if (ch.read(b) < 0) throw new IOException("unexpected end of file");
    }
}
