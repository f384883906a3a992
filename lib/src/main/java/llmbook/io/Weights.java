package llmbook.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import llmbook.nn.Module;
import llmbook.tensor.Tensor;

/**
 * Any {@link Module}'s weights on disk by parameter path ({@code "h.0.attn.q.weight"}), in {@link SafeTensors} format,
 * with a CRC-32 of the tensors in the header. Loading is strict: it refuses a file whose names are not exactly the
 * module's (listing the missing and the unexpected ones), a shape that differs (naming both shapes), and corrupt bytes.
 * <pre>{@code
 * Weights.save(Path.of("lora.safetensors"), model, Map.of("step", "2000"));
 * Map<String, String> meta = Weights.load(Path.of("lora.safetensors"), model);   // copies into the model's tensors
 * }</pre>
 */
public final class Weights {
    private Weights() {}

    /** The metadata key holding the tensors' CRC-32 (hex). */
    public static final String CRC = "crc32";

    /** Writes every parameter of {@code module} under its path, plus {@code metadata} and the checksum, atomically. */
    public static void save(Path file, Module module, Map<String, String> metadata) throws IOException {
        save(file, module.namedParameters(), metadata);
    }

    /**
     * Writes the named tensors (a part of a model: LoRA adapters, chapter 9), plus {@code metadata} and the checksum,
     * atomically.
     */
    public static void save(Path file, Map<String, Tensor> named, Map<String, String> metadata) throws IOException {
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        for (var e : named.entrySet())
            tensors.put(e.getKey(), new SafeTensors.Entry(e.getValue().shape(), e.getValue().toArray()));
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(CRC, Long.toHexString(checksum(tensors)));
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Copies the tensors of {@code file} into {@code module}'s parameters (by path) and returns the file's metadata.
     * Nothing is copied unless every name and shape fits.
     */
    public static Map<String, String> load(Path file, Module module) throws IOException { return load(file, SafeTensors.read(file), module); }

    /** {@link #load(Path, Module)} for a file already read ({@code file} names it in errors). */
    public static Map<String, String> load(Path file, SafeTensors.Contents w, Module module) throws IOException {
        return load(file, w, module.namedParameters(), module.getClass().getSimpleName());
    }

    /**
     * Copies the tensors of {@code file} into {@code named} (a part of a model, e.g. its LoRA adapters) with the same
     * checks as {@link #load(Path, Module)}; {@code what} names the target in errors.
     */
    public static Map<String, String> load(Path file, Map<String, Tensor> named, String what) throws IOException {
        return load(file, SafeTensors.read(file), named, what);
    }

    private static Map<String, String> load(Path file, SafeTensors.Contents w, Map<String, Tensor> params, String what) throws IOException {
        String crc = w.metadata().get(CRC);
        if (crc != null && !crc.equals(Long.toHexString(checksum(w.tensors()))))
            throw new IOException(file + " is corrupt: its tensors' checksum is " + Long.toHexString(checksum(w.tensors()))
                    + " but the header records " + crc);
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String name : params.keySet()) if (!w.tensors().containsKey(name)) missing.add(name);
        for (String name : w.tensors().keySet()) if (!params.containsKey(name)) unexpected.add(name);
        if (!missing.isEmpty() || !unexpected.isEmpty())
            throw new IOException(file + " does not fit this " + what + ": "
                    + (missing.isEmpty() ? "" : "missing " + shortList(missing)) + (missing.isEmpty() || unexpected.isEmpty() ? "" : "; ")
                    + (unexpected.isEmpty() ? "" : "unexpected " + shortList(unexpected)));
        for (var e : params.entrySet()) {
            int[] got = w.tensors().get(e.getKey()).shape(), want = e.getValue().shape();
            if (!Arrays.equals(got, want))
                throw new IOException(file + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(got) + " in the file but "
                        + Arrays.toString(want) + " in the model");
        }
        for (var e : params.entrySet()) {
            Tensor p = e.getValue();
            float[] src = w.tensors().get(e.getKey()).data();
            if (p.isContiguous()) System.arraycopy(src, 0, p.data(), p.offset(), src.length);
            else throw new IOException("Weights.load: parameter '" + e.getKey() + "' is a strided view; cannot load into it");
        }
        return w.metadata();
    }

    private static String shortList(List<String> names) {
        return names.size() <= 6 ? names.toString() : names.subList(0, 6) + " and " + (names.size() - 6) + " more";
    }

    /** CRC-32 over every tensor's name, shape and float bits (little-endian), in map order: detects corrupt bytes. */
    public static long checksum(Map<String, SafeTensors.Entry> tensors) {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[4096];
        for (var e : tensors.entrySet()) {
            crc.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            crc.update(Arrays.toString(e.getValue().shape()).getBytes(StandardCharsets.UTF_8));
            int k = 0;
            for (float v : e.getValue().data()) {
                int bits = Float.floatToRawIntBits(v);
                buf[k++] = (byte) bits; buf[k++] = (byte) (bits >>> 8); buf[k++] = (byte) (bits >>> 16); buf[k++] = (byte) (bits >>> 24);
                if (k == buf.length) { crc.update(buf, 0, k); k = 0; }
            }
            crc.update(buf, 0, k);
        }
        return crc.getValue();
    }
}
