package org.xjlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xjlink.swig.Xjlink;
import org.xjlink.swig.xjl_field;
import org.xjlink.swig.xjl_finding;
import org.xjlink.swig.xjl_parsed;
import org.xjlink.swig.xjl_result;

/**
 * The outcome of matching one record: a plain value, copied out of the
 * library, so it needs no closing and outlives its index.
 */
public final class MatchResult {

    /** The processing status (处理状态) a school sees. */
    public enum Status {
        MATCHED("matched", "已匹配学前学籍"),
        PENDING("pending", "待确认学前学籍"),
        NOT_FOUND("not_found", "未查到学前学籍"),
        ERROR("error", "错误");

        private final String label;
        private final String labelZh;

        Status(String label, String labelZh) {
            this.label = label;
            this.labelZh = labelZh;
        }

        /** "matched", "pending", "not_found", "error". */
        public String label() {
            return label;
        }

        /** 已匹配学前学籍, 待确认学前学籍, 未查到学前学籍, 错误. */
        public String labelZh() {
            return labelZh;
        }
    }

    /** One registry record offered for the query, with each field's agreement level,
     *  each field's part of the score (weights: the parts sum to the score, id_type's is
     *  0) and the probability that it is the query's child (from the score and the
     *  prior XJL_PARAM_MATCH_PRIOR, by default one record of the registry). */
    public record Candidate(String id, double score, String reasons, Map<String, String> levels,
                            long position, Map<String, Double> weights, double probability) {
    }

    private static final String[] FIELDS = {"name", "gender", "birth_date", "id_type", "id_number", "record"};
    private static final Status[] STATUSES = Status.values();

    private final Status status;
    private final String matchId;
    private final double score;
    private final String reasons;
    private final List<Candidate> candidates;
    private final Map<String, List<String>> findings;

    MatchResult(xjl_result r) {
        status = STATUSES[Xjlink.xjl_result_status(r).swigValue()];
        matchId = Xjlink.xjl_result_match_id(r);
        score = Xjlink.xjl_result_score(r);
        reasons = Xjlink.xjl_result_reasons(r);
        long n = Xjlink.xjl_result_candidate_count(r);
        List<Candidate> cs = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            Map<String, String> levels = new LinkedHashMap<>();
            Map<String, Double> weights = new LinkedHashMap<>();
            for (int f = 0; f < 5; f++) {
                levels.put(FIELDS[f], Xjlink.xjl_level_name(
                        Xjlink.xjl_result_candidate_level(r, i, xjl_field.swigToEnum(f))));
                weights.put(FIELDS[f],
                        Xjlink.xjl_result_candidate_weight(r, i, xjl_field.swigToEnum(f)));
            }
            cs.add(new Candidate(Xjlink.xjl_result_candidate_id(r, i),
                    Xjlink.xjl_result_candidate_score(r, i),
                    Xjlink.xjl_result_candidate_reasons(r, i),
                    Collections.unmodifiableMap(levels),
                    Xjlink.xjl_result_candidate_pos(r, i),
                    Collections.unmodifiableMap(weights),
                    Xjlink.xjl_result_candidate_probability(r, i)));
        }
        candidates = Collections.unmodifiableList(cs);
        xjl_parsed q = Xjlink.xjl_result_query(r);
        try {
            findings = findingsOf(q);
        } finally {
            q.delete();
        }
    }

    /** A row the library cannot read at all: fields with a NUL character (the
     *  C API takes NUL-terminated fields).  Like the CLI, the row gets status
     *  ERROR with the reason ("name:nul"), and the rest of a batch goes on. */
    MatchResult(List<String> nulFields) {
        status = Status.ERROR;
        matchId = null;
        score = 0;
        StringBuilder why = new StringBuilder();
        Map<String, List<String>> f = new LinkedHashMap<>();
        for (String field : nulFields) {
            why.append(why.length() > 0 ? " " : "").append(field).append(":nul");
            f.put(field, List.of("nul"));
        }
        reasons = why.toString();
        candidates = List.of();
        findings = Collections.unmodifiableMap(f);
    }

    /** The fields of a record that contain a NUL character, by name. */
    static List<String> nulFields(Record r) {
        String[] v = r.fields();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.length; i++)
            if (v[i] != null && v[i].indexOf('\0') >= 0)
                out.add(FIELDS[i]);
        return out;
    }

    static Map<String, List<String>> findingsOf(xjl_parsed p) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int f = 0; f < FIELDS.length; f++) {
            long bits = p.field_findings(f) & 0xffffffffL;
            List<String> names = new ArrayList<>();
            for (int c = 1; c < xjl_finding.XJL_F_COUNT.swigValue(); c++)
                if ((bits >> c & 1) != 0)
                    names.add(Xjlink.xjl_finding_name(xjl_finding.swigToEnum(c)));
            if (!names.isEmpty())
                out.put(FIELDS[f], Collections.unmodifiableList(names));
        }
        return Collections.unmodifiableMap(out);
    }

    public Status status() {
        return status;
    }

    /** The id of the matched registry record (status MATCHED only), else null. */
    public String matchId() {
        return matchId;
    }

    /** Score of the best candidate (log2 likelihood ratio), 0 without candidates. */
    public double score() {
        return score;
    }

    /** Why: the best candidate's field agreements, or the query's errors. */
    public String reasons() {
        return reasons;
    }

    /** Ranked candidates, best first. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** The query's findings per field ("id_number" → ["id_check"]); empty when clean. */
    public Map<String, List<String>> findings() {
        return findings;
    }

    @Override
    public String toString() {
        return "MatchResult[" + status.label() + " matchId=" + matchId + " score="
                + String.format("%.2f", score) + " candidates=" + candidates.size() + "]";
    }
}
