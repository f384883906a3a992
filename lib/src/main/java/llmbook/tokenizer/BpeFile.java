package llmbook.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Saves and loads a trained {@link BpeTokenizer}. The format is UTF-8 text, one record per line:
 * <pre>
 * llmbook-bpe 1                 magic and format version
 * name bpe-4096                 the tokenizer's name
 * pattern GPT2                  the pre-split, a {@link SplitPattern} constant
 * merges 3839                   number of merge lines that follow
 * specials 1                    number of special-token lines after them
 * m 101 32                      merge i: left id, right id; creates id 256 + i
 * ...
 * s &lt;|endoftext|&gt;            special token text (\\ \n \r escaped); ids follow the merges
 * crc32 1c291ca3                CRC-32 (hex) of every byte before this line
 * </pre>
 * Reading checks the magic, the version, both counts, every merge (ids must already exist) and the
 * checksum; a truncated or corrupt file is refused with an {@link IOException} that says what is
 * wrong and where. Writing goes to a temporary file in the same folder that is then renamed over
 * the target (atomically where the file system allows), so a crash never leaves half a file.
 */
public final class BpeFile {
    static final String MAGIC = "llmbook-bpe";
    static final int VERSION = 1;

    private BpeFile() {}

    /** The file's bytes for {@code t} (trained tokenizers only). */
    static byte[] format(BpeTokenizer t) {
        int[] left = t.mergeLeft(), right = t.mergeRight();
        StringBuilder sb = new StringBuilder(left.length * 10 + 100);
        sb.append(MAGIC).append(' ').append(VERSION).append('\n');
        sb.append("name ").append(escape(t.name())).append('\n');
        sb.append("pattern ").append(t.pattern().name()).append('\n');
        sb.append("merges ").append(left.length).append('\n');
        sb.append("specials ").append(t.specialTokens().size()).append('\n');
        for (int i = 0; i < left.length; i++) sb.append("m ").append(left[i]).append(' ').append(right[i]).append('\n');
        for (String s : t.specialTokens().keySet()) sb.append("s ").append(escape(s)).append('\n');
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] tail = String.format("crc32 %08x\n", crc.getValue()).getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    /** Writes {@code t} to {@code file} via a temporary file and a rename. */
    public static void write(BpeTokenizer t, Path file) throws IOException {
        byte[] bytes = format(t);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a tokenizer, refusing a truncated or corrupt file with a message naming the problem. */
    public static BpeTokenizer read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    static BpeTokenizer parse(byte[] bytes, String where) throws IOException {
        if (bytes.length == 0) throw new IOException(where + ": empty file, expected a first line '" + MAGIC + " " + VERSION + "'");
        // Split into lines, remembering where each starts (the checksum covers bytes before its line).
        List<String> lines = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        int s = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, s, i - s, StandardCharsets.UTF_8));
                starts.add(s);
                s = i + 1;
            }
        }
        boolean cutLine = s < bytes.length;                        // last line has no newline: truncated
        if (cutLine) {
            lines.add(new String(bytes, s, bytes.length - s, StandardCharsets.UTF_8));
            starts.add(s);
        }
        String first = lines.get(0);
        if (cutLine) {                                            // a complete file ends with the checksum line's newline
            throw new IOException(where + ": truncated: the file ends inside line " + lines.size() + " ('" + clip(lines.get(lines.size() - 1))
                    + "'); a complete file ends with a newline after its crc32 line");
        }
        if (!first.startsWith(MAGIC + " ")) {
            throw new IOException(where + ": not an llmbook BPE file: first line is '" + clip(first) + "', expected '" + MAGIC + " " + VERSION + "'");
        }
        String v = first.substring(MAGIC.length() + 1);
        if (!v.equals(String.valueOf(VERSION))) {
            throw new IOException(where + ": format version " + clip(v) + " is not supported; this reader knows version " + VERSION);
        }
        if (lines.size() < 5) throw new IOException(where + ": truncated: header has " + lines.size() + " of 5 lines");
        String name = unescape(field(lines, 1, "name", where));
        SplitPattern pattern;
        String p = field(lines, 2, "pattern", where);
        try {
            pattern = SplitPattern.valueOf(p);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " line 3: unknown pattern '" + clip(p) + "', expected one of " + java.util.Arrays.toString(SplitPattern.values()));
        }
        int merges = count(field(lines, 3, "merges", where), where, 4);
        int specials = count(field(lines, 4, "specials", where), where, 5);
        int crcLine = 5 + merges + specials;
        if (lines.size() <= crcLine || cutLine && lines.size() - 1 <= crcLine) {
            int complete = Math.max(0, lines.size() - (cutLine ? 1 : 0) - 5);
            throw new IOException(where + ": truncated: expected " + merges + " merge lines and " + specials
                    + " special-token lines then a crc32 line, but the file ends after " + complete + " of them");
        }
        int[] left = new int[merges], right = new int[merges];
        for (int i = 0; i < merges; i++) {
            String line = lines.get(5 + i);
            String[] f = line.split(" ");
            if (f.length != 3 || !f[0].equals("m")) {
                throw new IOException(where + " line " + (6 + i) + ": expected merge 'm LEFT RIGHT', found '" + clip(line) + "'");
            }
            left[i] = count(f[1], where, 6 + i);
            right[i] = count(f[2], where, 6 + i);
        }
        List<String> sp = new ArrayList<>();
        for (int i = 0; i < specials; i++) {
            String line = lines.get(5 + merges + i);
            if (!line.startsWith("s ")) {
                throw new IOException(where + " line " + (6 + merges + i) + ": expected special token 's TEXT', found '" + clip(line) + "'");
            }
            sp.add(unescape(line.substring(2)));
        }
        String crcText = lines.get(crcLine);
        if (!crcText.startsWith("crc32 ")) {
            throw new IOException(where + " line " + (crcLine + 1) + ": expected 'crc32 HEX' after " + merges + " merges and "
                    + specials + " special tokens, found '" + clip(crcText) + "'");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, starts.get(crcLine));
        String computed = String.format("%08x", crc.getValue());
        if (!crcText.substring(6).equals(computed)) {
            throw new IOException(where + ": corrupt: checksum in file is " + clip(crcText.substring(6)) + " but the content gives " + computed);
        }
        if (lines.size() > crcLine + 1 || cutLine) {
            throw new IOException(where + ": corrupt: " + (bytes.length - starts.get(crcLine)) + " bytes of checksum line and extra text at the end");
        }
        try {
            return BpeTokenizer.fromMerges(name, pattern, left, right, sp);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": invalid tokenizer: " + e.getMessage(), e);
        }
    }

    private static String field(List<String> lines, int i, String key, String where) throws IOException {
        String line = lines.get(i);
        if (!line.startsWith(key + " ")) {
            throw new IOException(where + " line " + (i + 1) + ": expected '" + key + " ...', found '" + clip(line) + "'");
        }
        return line.substring(key.length() + 1);
    }

    private static int count(String s, String where, int lineNo) throws IOException {
        try {
            int v = Integer.parseInt(s);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IOException(where + " line " + lineNo + ": '" + clip(s) + "' is not a non-negative integer");
        }
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                sb.append(d == 'n' ? '\n' : d == 'r' ? '\r' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
