package llmbook.exercises.ch12;

import java.util.List;
import llmbook.kg.World.Verdict;

/**
 * Exercise ch12.claim_check — check a model's claims against a knowledge graph, and ask the graph the reversed
 * question. Q47.
 *
 * <p>Goal: the graph is a list of facts {subject, relation, object}. Label each claimed fact SUPPORTED if the graph
 * holds exactly that fact; CONTRADICTED (an intrinsic hallucination) if the graph could have said so and says
 * otherwise — the subject and the object both occur somewhere in the graph and the graph has at least one fact of
 * that subject with that relation; otherwise UNVERIFIABLE (an extrinsic hallucination: an invented entity, or a
 * relation the graph records nothing about for that subject). Then answer from the graph the question a language
 * model finds hard: which subjects have a given relation to a given object, in the order the facts are listed.
 * Build indexes by subject and by object once, so neither method scans the whole graph for each claim.
 *
 * <p>Worked example: facts (Ada, bornIn, Varrow), (Ada, worksFor, Kelmar), (Bo, bornIn, Varrow). The claim
 * (Ada, bornIn, Varrow) is SUPPORTED; (Bo, bornIn, Kelmar) is CONTRADICTED (Bo was born somewhere known and Kelmar
 * is a known entity); (Bo, worksFor, Kelmar) is UNVERIFIABLE (nothing is known of Bo's employer) and so is
 * (Ada, bornIn, Quinsal) (no such place). Who was born in Varrow? [Ada, Bo].
 * Run {@code ./llmbook grade 12} to see your score.
 */
public final class ClaimCheck {
    private ClaimCheck() {}

    /** One verdict per claim, each claim a {subject, relation, object}. */
    public static Verdict[] check(String[][] facts, String[][] claims) {
        throw new UnsupportedOperationException("TODO ch12.claim_check: index by subject, then supported / contradicted / unverifiable");
    }

    /** Every subject s with the fact (s, relation, object), in the order of {@code facts}. */
    public static List<String> subjects(String[][] facts, String relation, String object) {
        throw new UnsupportedOperationException("TODO ch12.claim_check: index by object");
    }
}
