package svcmap.topology;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The part of a snapshot a walk reached, packed for the service: CIs in key order (so both the
 * index and the Cypher fallback hand the engines the same input), a record per CHUNK of them, with
 * keys and kinds joined by newlines (a CI key has no whitespace) and the numbers as little-endian
 * 32-bit integers in one base64 string per record: a string per CI and a number per edge each
 * cost the JavaScript driver far more to decode than one string, and so, oddly, does a byte array
 * (about 25 ms for the 1.1 MB of a walk over 37,000 CIs, against a few for its base64).
 */
final class TopologyRows {
    static final int CHUNK = Integer.getInteger("svcmap.topologyIndex.chunk", 2_000);

    /** Which columns precede each CI's list of neighbours, and which neighbours are listed. */
    enum Shape {
        /** minHealthy, member count (0 for a CI that is not a group), then its dependents in the set. */
        IMPACT,
        /** dependent count, minHealthy, dependency count (in the whole graph), then its dependencies in the set. */
        UPSTREAM
    }

    private TopologyRows() {}

    /**
     * Key-ordered rows of the CIs the walk reached (`distance` at least 0), in chunks; for the CIs of
     * `factsFor` kinds, their scoring facts as JSON: [[row, name, criticality, revenuePerHour, usersAffected], ...].
     * Nothing reached is one empty chunk, which still carries `missing`.
     */
    static List<TopologyProcedures.Rows> pack(TopologySnapshot s, int[] distance, Shape shape, List<String> missing, Set<String> factsFor) {
        int[] position = new int[s.size];
        int[] rows = new int[s.size];
        int count = 0;
        for (int place = 0; place < s.size; place++) {
            int i = s.byRank[place];
            if (distance[i] >= 0) {
                position[i] = count;
                rows[count++] = i;
            } else position[i] = -1;
        }
        int[] start = shape == Shape.IMPACT ? s.consumerStart : s.providerStart;
        int[] other = shape == Shape.IMPACT ? s.consumerFrom : s.providerTo;
        byte[] soft = shape == Shape.IMPACT ? s.consumerSoft : s.providerSoft;
        List<TopologyProcedures.Rows> out = new ArrayList<>();
        int[] listed = new int[16];
        int from = 0;
        do {
            int to = Math.min(count, from + CHUNK);
            StringBuilder keys = new StringBuilder();
            StringBuilder kinds = new StringBuilder();
            StringBuilder facts = new StringBuilder("[");
            // At most: three header numbers, a count and every neighbour, in the set or not.
            int words = 0;
            for (int r = from; r < to; r++) words += 4 + start[rows[r] + 1] - start[rows[r]];
            ByteBuffer ints = ByteBuffer.allocate(4 * words).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = from; r < to; r++) {
                int i = rows[r];
                if (r > from) {
                    keys.append('\n');
                    kinds.append('\n');
                }
                keys.append(s.key[i]);
                kinds.append(s.kind[i]);
                if (factsFor.contains(s.kind[i])) {
                    if (facts.length() > 1) facts.append(',');
                    facts.append('[').append(r).append(',');
                    Json.string(facts, s.name[i]).append(',');
                    Json.string(facts, s.criticality[i]).append(',');
                    Json.number(facts, s.revenuePerHour[i]).append(',');
                    Json.number(facts, s.usersAffected[i]).append(']');
                }
                if (shape == Shape.IMPACT) {
                    ints.putInt(s.minHealthy[i]);
                    ints.putInt(s.minHealthy[i] != TopologySnapshot.NOT_A_GROUP ? s.dependencyCount(i) : 0);
                } else {
                    ints.putInt(s.dependentCount(i));
                    ints.putInt(s.minHealthy[i]);
                    ints.putInt(s.dependencyCount(i));
                }
                // Neighbours in the set by position, HARD before SOFT at one position (parallel dependencies).
                int n = 0;
                for (int e = start[i]; e < start[i + 1]; e++) {
                    int at = position[other[e]];
                    if (at < 0) continue;
                    if (n == listed.length) listed = Arrays.copyOf(listed, 2 * n);
                    listed[n++] = 2 * at + soft[e];
                }
                Arrays.sort(listed, 0, n);
                ints.putInt(n);
                for (int k = 0; k < n; k++) ints.putInt((listed[k] & 1) == 1 ? -1 - (listed[k] >>> 1) : listed[k] >>> 1);
            }
            TopologyProcedures.Rows chunk = new TopologyProcedures.Rows();
            chunk.fresh = true;
            chunk.missing = from == 0 ? missing : List.of();
            chunk.keys = keys.toString();
            chunk.kinds = kinds.toString();
            chunk.facts = facts.append(']').toString();
            chunk.ints = Base64.getEncoder().encodeToString(Arrays.copyOf(ints.array(), ints.position()));
            chunk.rows = to - from;
            out.add(chunk);
            from = to;
        } while (from < count);
        return out;
    }
}
