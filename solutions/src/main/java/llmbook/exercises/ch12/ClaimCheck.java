package llmbook.exercises.ch12;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import llmbook.kg.World.Verdict;

/** Reference solution of ch12.claim_check (see the starter for the statement). Q47. */
public final class ClaimCheck {
    private ClaimCheck() {}

    public static Verdict[] check(String[][] facts, String[][] claims) {
        Map<String, List<String[]>> bySubject = index(facts, 0), byObject = index(facts, 2);
        Verdict[] out = new Verdict[claims.length];
        for (int i = 0; i < claims.length; i++) {
            String s = claims[i][0], p = claims[i][1], o = claims[i][2];
            boolean hasRelation = false, supported = false;
            for (String[] f : bySubject.getOrDefault(s, List.of())) {
                if (!f[1].equals(p)) continue;
                hasRelation = true;
                if (f[2].equals(o)) supported = true;
            }
            boolean known = (bySubject.containsKey(s) || byObject.containsKey(s)) && (bySubject.containsKey(o) || byObject.containsKey(o));
            out[i] = supported ? Verdict.SUPPORTED : known && hasRelation ? Verdict.CONTRADICTED : Verdict.UNVERIFIABLE;
        }
        return out;
    }

    public static List<String> subjects(String[][] facts, String relation, String object) {
        List<String> out = new ArrayList<>();
        for (String[] f : index(facts, 2).getOrDefault(object, List.of())) if (f[1].equals(relation)) out.add(f[0]);
        return out;
    }

    private static Map<String, List<String[]>> index(String[][] facts, int field) {
        Map<String, List<String[]>> m = new HashMap<>();
        for (String[] f : facts) {
            if (f.length != 3) throw new IllegalArgumentException("a fact is {subject, relation, object}, got " + f.length + " fields");
            m.computeIfAbsent(f[field], k -> new ArrayList<>()).add(f);
        }
        return m;
    }
}
