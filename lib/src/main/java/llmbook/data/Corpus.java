package llmbook.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import llmbook.util.Json;
import llmbook.util.TextFiles;

/**
 * A real text corpus, downloaded at set-up by {@code ./llmbook data} and never committed.
 *
 * <pre>{@code
 * Corpus moby = Corpus.load("moby-dick");
 * moby.text().length();      // 1.2 million characters of Melville
 * moby.train(); moby.validation();   // the first 90% and the last 10%, split at a line break
 * moby.provenance();         // npm package, version and the SHA-256 the download was checked against
 * }</pre>
 *
 * <p>The list of corpora, with the SHA-256 of each package, is the resource
 * {@code llmbook/data/corpora.tsv}; the launcher reads the same file. The data folder is found from
 * the system property {@code llmbook.data}, then the environment variables {@code LLMBOOK_DATA}
 * and {@code LLMBOOK_HOME} (its {@code data} folder), then by walking up from the working
 * directory to the repository root (the folder holding the {@code llmbook} launcher).
 */
public final class Corpus {
    /** Where a corpus came from: enough to fetch exactly the same bytes again. */
    public record Provenance(String name, String npmPackage, String version, String sha256, String description) {
        @Override public String toString() {
            return npmPackage + "@" + version + " (sha256 " + sha256.substring(0, 12) + "…): " + description;
        }
    }

    /** One document of a corpus: a whole book, one address, one e-mail. {@code group} is its label, if any. */
    public record Document(String id, String group, String text) {}

    private static final Map<String, Corpus> CACHE = new ConcurrentHashMap<>();

    private final Provenance provenance;
    private final List<Document> documents;
    private final String text;
    private final int splitAt;

    private Corpus(Provenance provenance, List<Document> documents) {
        this.provenance = provenance;
        this.documents = List.copyOf(documents);
        StringBuilder b = new StringBuilder();
        for (Document d : documents) {
            if (b.length() > 0) b.append("\n\n");
            b.append(d.text());
        }
        this.text = b.toString();
        int cut = (int) (text.length() * 0.9);
        int nl = text.indexOf('\n', cut);
        this.splitAt = nl < 0 ? cut : nl + 1;
    }

    /** Names of the corpora llmbook knows, whether downloaded or not. */
    public static List<String> available() {
        return catalogue().stream().map(r -> r[0]).toList();
    }

    /** Loads a downloaded corpus by name ({@code moby-dick}, {@code sotu}, {@code spam-assassin}). */
    public static Corpus load(String name) {
        Path dir = dataDir().toAbsolutePath().resolve(name);            // keyed by folder: the data folder can change (tests)
        return CACHE.computeIfAbsent(dir.toString(), k -> read(name));
    }

    /** The whole text; documents are joined by a blank line. */
    public String text() { return text; }

    /** The first 90% of {@link #text()}, cut at a line break: the same on every machine. */
    public String train() { return text.substring(0, splitAt); }

    /** The rest of {@link #text()} after {@link #train()}. */
    public String validation() { return text.substring(splitAt); }

    /** The documents in a fixed order (file-name order in the package). */
    public List<Document> documents() { return documents; }

    public Provenance provenance() { return provenance; }

    public String name() { return provenance.name(); }

    @Override public String toString() {
        return "Corpus " + name() + ": " + documents.size() + " document(s), " + text.length() + " chars; " + provenance;
    }

    private static Corpus read(String name) {
        String[] row = catalogue().stream().filter(r -> r[0].equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown corpus '" + name + "'; known: " + String.join(", ", available())));
        Provenance prov = new Provenance(row[0], row[1], row[2], row[3], row[5]);
        Path dir = dataDir().resolve(name);
        Path source = dir.resolve("SOURCE");
        String fix = "run ./llmbook data " + name + " (it downloads " + prov.npmPackage() + "@" + prov.version() + ")";
        if (!Files.isRegularFile(source))
            throw new IllegalStateException("corpus '" + name + "' is not downloaded (no " + source + "): " + fix);
        try {
            String[] got = TextFiles.readUtf8(source, "corpus record").trim().split("\\s+");
            if (got.length < 3 || !got[1].equals(prov.version()) || !got[2].equals(prov.sha256()))
                throw new IllegalStateException("corpus '" + name + "' in " + dir + " is not the expected "
                        + prov.npmPackage() + "@" + prov.version() + " sha256 " + prov.sha256() + ": " + fix);
            String[] layout = row[4].split(":");
            List<Document> docs = switch (layout[0]) {
                case "text" -> List.of(new Document(name, "", TextFiles.readUtf8(dir.resolve(layout[1]), "corpus file")));
                case "json-dir" -> jsonDocuments(dir.resolve(layout[1]), layout[2]);
                default -> throw new IllegalStateException("corpora.tsv: unknown layout " + row[4]);
            };
            return new Corpus(prov, docs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus '" + name + "': " + e.getMessage() + "; the download is damaged: delete "
                    + dir + " and " + fix, e);
        }
    }

    /** Every {@code *.json} file below {@code root}, sorted by path; {@code group} is its folder name. */
    static List<Document> jsonDocuments(Path root, String field) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<Document> docs = new ArrayList<>(files.size());
        for (Path f : files) {
            Object parsed;
            try {
                parsed = Json.parse(TextFiles.readUtf8(f, "corpus file"));
            } catch (IllegalArgumentException e) {
                throw new IOException("corpus file " + f + " is not valid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> o)) continue; // an index such as spam-assassin's file_list.json (an array)
            Object t = o.get(field);
            if (!(t instanceof String s)) continue; // index files such as file_list.json carry no text
            String group = root.relativize(f).getNameCount() > 1 ? root.relativize(f).getName(0).toString() : "";
            String id = f.getFileName().toString().replaceFirst("\\.json$", "");
            docs.add(new Document(id, group, s));
        }
        return docs;
    }

    /** The rows of corpora.tsv: name, package, version, sha256, layout, description. */
    static List<String[]> catalogue() {
        try (InputStream in = Corpus.class.getResourceAsStream("/llmbook/data/corpora.tsv")) {
            if (in == null) throw new IllegalStateException("llmbook/data/corpora.tsv is missing from the library jar");
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] r = line.split("\t");
                if (r.length != 6) throw new IllegalStateException("corpora.tsv: expected 6 tab-separated fields: " + line);
                rows.add(r);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The repository: {@code $LLMBOOK_HOME}, else the first folder up from the working directory holding the
     * {@code llmbook} launcher and {@code pom.xml}; null if there is none.
     */
    public static Path repository() {
        String home = System.getenv("LLMBOOK_HOME");
        if (home != null) return Path.of(home);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent())
            if (Files.isRegularFile(d.resolve("llmbook")) && Files.isRegularFile(d.resolve("pom.xml"))) return d;
        return null;
    }

    /** The folder holding downloaded corpora (see the class comment for how it is found). */
    public static Path dataDir() {
        String p = System.getProperty("llmbook.data");
        if (p == null) p = System.getenv("LLMBOOK_DATA");
        if (p != null) return Path.of(p);
        Path home = repository();
        if (home != null) return home.resolve("data");
        throw new IllegalStateException("cannot find the llmbook data folder: set LLMBOOK_HOME to the repository, "
                + "or run from inside it (working directory " + Path.of("").toAbsolutePath() + ")");
    }
}
