package llmbook.kg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small in-memory knowledge graph: a set of (subject, predicate, object) triples with an index by subject and one
 * by object, saved and loaded as N-Triples. Q47.
 * <pre>
 *   &lt;urn:llmbook:Ada_Moreau&gt; &lt;urn:llmbook:bornIn&gt; &lt;urn:llmbook:Varrow&gt; .
 *   &lt;urn:llmbook:Ada_Moreau&gt; &lt;urn:llmbook:bornYear&gt; "1950" .
 * </pre>
 * Names are kept without the {@code urn:llmbook:} prefix, spaces as underscores in the file; an object that is a
 * literal (quoted in the file) is stored with {@link #isLiteral} true. Grounding a generated fact means looking it up:
 * {@link #objects} for "where was X born?", {@link #subjects} for the reversed "who was born in Y?".
 */
public final class TripleStore {
    /** One fact; {@code literal} marks an object that is a value (a year), not an entity. */
    public record Triple(String subject, String predicate, String object, boolean literal) {
        public Triple {
            for (String x : new String[] {subject, predicate, object})
                if (x == null || x.isBlank()) throw new IllegalArgumentException("Triple: empty part in (" + subject + ", " + predicate + ", " + object + ")");
        }
    }

    private static final String NS = "urn:llmbook:";
    private final Set<Triple> triples = new LinkedHashSet<>();
    private final Map<String, List<Triple>> bySubject = new LinkedHashMap<>(), byObject = new LinkedHashMap<>();

    /** Adds a fact (an entity object); returns false if it was there already. */
    public boolean add(String s, String p, String o) { return add(new Triple(s, p, o, false)); }

    /** Adds a fact whose object is a literal value. */
    public boolean addLiteral(String s, String p, String o) { return add(new Triple(s, p, o, true)); }

    public boolean add(Triple t) {
        if (!triples.add(t)) return false;
        bySubject.computeIfAbsent(t.subject(), k -> new ArrayList<>()).add(t);
        byObject.computeIfAbsent(t.object(), k -> new ArrayList<>()).add(t);
        return true;
    }

    public boolean contains(String s, String p, String o) {
        for (Triple t : bySubject(s)) if (t.predicate().equals(p) && t.object().equals(o)) return true;
        return false;
    }

    public int size() { return triples.size(); }

    public Set<Triple> all() { return Collections.unmodifiableSet(triples); }

    public List<Triple> bySubject(String s) { return Collections.unmodifiableList(bySubject.getOrDefault(s, List.of())); }

    public List<Triple> byObject(String o) { return Collections.unmodifiableList(byObject.getOrDefault(o, List.of())); }

    /** True if {@code x} appears as a subject or an object. */
    public boolean knows(String x) { return bySubject.containsKey(x) || byObject.containsKey(x); }

    /** Every o with (s, p, o). */
    public List<String> objects(String s, String p) {
        return bySubject(s).stream().filter(t -> t.predicate().equals(p)).map(Triple::object).toList();
    }

    /** Every s with (s, p, o). */
    public List<String> subjects(String p, String o) {
        return byObject(o).stream().filter(t -> t.predicate().equals(p)).map(Triple::subject).toList();
    }

    /** Writes every triple as one N-Triples line, atomically (a temporary file moved into place). */
    public void save(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Triple t : triples)
            sb.append(iri(t.subject())).append(' ').append(iri(t.predicate())).append(' ')
                    .append(t.literal() ? "\"" + t.object().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"" : iri(t.object())).append(" .\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads an N-Triples file written by {@link #save} (IRIs and plain literals); errors name the file and line. */
    public static TripleStore load(Path file) throws IOException {
        TripleStore g = new TripleStore();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            try {
                int[] pos = {0};
                String s = readIri(l, pos), p = readIri(l, pos);
                skip(l, pos);
                boolean literal = pos[0] < l.length() && l.charAt(pos[0]) == '"';
                String o = literal ? readLiteral(l, pos) : readIri(l, pos);
                skip(l, pos);
                if (pos[0] >= l.length() || l.charAt(pos[0]) != '.' || pos[0] + 1 != l.length()) throw new IllegalArgumentException("expected ' .' at the end");
                g.add(new Triple(s, p, o, literal));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + n + ": not an N-Triples line (" + e.getMessage() + "): " + line);
            }
        }
        return g;
    }

    private static String iri(String name) { return "<" + NS + name.replace(' ', '_') + ">"; }

    private static void skip(String l, int[] pos) { while (pos[0] < l.length() && l.charAt(pos[0]) == ' ') pos[0]++; }

    private static String readIri(String l, int[] pos) {
        skip(l, pos);
        if (pos[0] >= l.length() || l.charAt(pos[0]) != '<') throw new IllegalArgumentException("expected '<' at column " + (pos[0] + 1));
        int end = l.indexOf('>', pos[0]);
        if (end < 0) throw new IllegalArgumentException("unclosed '<'");
        String iri = l.substring(pos[0] + 1, end);
        pos[0] = end + 1;
        return (iri.startsWith(NS) ? iri.substring(NS.length()) : iri).replace('_', ' ');
    }

    private static String readLiteral(String l, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0] + 1;
        for (; i < l.length() && l.charAt(i) != '"'; i++) {
            char c = l.charAt(i);
            if (c == '\\' && i + 1 < l.length()) {
                char e = l.charAt(++i);
                sb.append(e == 'n' ? '\n' : e);
            } else sb.append(c);
        }
        if (i >= l.length()) throw new IllegalArgumentException("unclosed literal");
        pos[0] = i + 1;
        return sb.toString();
    }
}
