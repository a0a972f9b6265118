package svcmap.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

/**
 * The structure of the dependency graph at one moment, as integer arrays: every CI (key, kind, a
 * redundancy group's minHealthy, and the four facts business impact is scored on) and every
 * DEPENDS_ON between CIs with its strength, both ways. Immutable once read; TopologyIndex
 * replaces it whole when the graph changes. No other property of a CI is kept: what an answer
 * shows beyond these is read from the store.
 */
final class TopologySnapshot {
    static final Label CI = Label.label("CI");
    static final RelationshipType DEPENDS_ON = RelationshipType.withName("DEPENDS_ON");
    static final String REDUNDANCY_GROUP = "REDUNDANCY_GROUP";
    /** minHealthy of a CI that is not a redundancy group (NOT_A_GROUP on the service's side). */
    static final int NOT_A_GROUP = -1;

    /** The TopologyIndex version this snapshot was read at. */
    final long version;
    final long readMillis;
    final int size;
    final String[] key;
    final String[] kind;
    final int[] minHealthy;
    /** What scoring needs of a business CI (and reads of any CI): name, criticality, revenue per hour, users affected (null when unset). */
    final String[] name;
    final String[] criticality;
    final Double[] revenuePerHour;
    final Long[] usersAffected;
    /** Each CI's place among all keys in UTF-16 code unit order (the order JavaScript sorts strings in). */
    final int[] keyRank;
    /** The CI at each place of keyRank. */
    final int[] byRank;
    /** What CI i depends on: providerTo[providerStart[i] .. providerStart[i + 1]), SOFT where providerSoft is 1. */
    final int[] providerStart;
    final int[] providerTo;
    final byte[] providerSoft;
    /** What depends on CI i, likewise. */
    final int[] consumerStart;
    final int[] consumerFrom;
    final byte[] consumerSoft;
    private final Map<String, Integer> byKey;

    private TopologySnapshot(long version, long readMillis, String[] key, String[] kind, int[] minHealthy, Object[][] facts, int[] edges, int edgeCount) {
        this.version = version;
        this.readMillis = readMillis;
        this.size = key.length;
        this.key = key;
        this.kind = kind;
        this.minHealthy = minHealthy;
        this.name = (String[]) facts[0];
        this.criticality = (String[]) facts[1];
        this.revenuePerHour = (Double[]) facts[2];
        this.usersAffected = (Long[]) facts[3];
        this.byKey = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) byKey.put(key[i], i);
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> key[a].compareTo(key[b]));
        this.keyRank = new int[size];
        this.byRank = new int[size];
        for (int place = 0; place < size; place++) {
            byRank[place] = order[place];
            keyRank[order[place]] = place;
        }
        this.providerStart = new int[size + 1];
        this.providerTo = new int[edgeCount];
        this.providerSoft = new byte[edgeCount];
        this.consumerStart = new int[size + 1];
        this.consumerFrom = new int[edgeCount];
        this.consumerSoft = new byte[edgeCount];
        for (int e = 0; e < edgeCount; e++) {
            providerStart[edges[3 * e] + 1]++;
            consumerStart[edges[3 * e + 1] + 1]++;
        }
        for (int i = 0; i < size; i++) {
            providerStart[i + 1] += providerStart[i];
            consumerStart[i + 1] += consumerStart[i];
        }
        int[] providerFill = Arrays.copyOf(providerStart, size);
        int[] consumerFill = Arrays.copyOf(consumerStart, size);
        for (int e = 0; e < edgeCount; e++) {
            int from = edges[3 * e];
            int to = edges[3 * e + 1];
            byte soft = (byte) edges[3 * e + 2];
            int p = providerFill[from]++;
            providerTo[p] = to;
            providerSoft[p] = soft;
            int c = consumerFill[to]++;
            consumerFrom[c] = from;
            consumerSoft[c] = soft;
        }
    }

    /** The CI with this key, or -1. */
    int indexOf(String ciKey) {
        Integer i = byKey.get(ciKey);
        return i == null ? -1 : i;
    }

    int dependencyCount(int i) {
        return providerStart[i + 1] - providerStart[i];
    }

    int dependentCount(int i) {
        return consumerStart[i + 1] - consumerStart[i];
    }

    /** Reads every CI and every dependency between CIs in `tx`. */
    @SuppressWarnings("removal")
    static TopologySnapshot read(Transaction tx, long version) {
        long started = System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        try (ResourceIterator<Node> all = tx.findNodes(CI)) {
            while (all.hasNext()) nodes.add(all.next());
        }
        int n = nodes.size();
        String[] key = new String[n];
        String[] kind = new String[n];
        int[] minHealthy = new int[n];
        String[] name = new String[n];
        String[] criticality = new String[n];
        Double[] revenuePerHour = new Double[n];
        Long[] usersAffected = new Long[n];
        // Internal ids are the kernel's cheapest identity; they only live as long as this read.
        LongIntHashMap indexOfId = new LongIntHashMap(n * 2);
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            indexOfId.put(node.getId(), i);
            Map<String, Object> properties = node.getProperties("key", "kind", "minHealthy", "name", "criticality", "revenuePerHour", "usersAffected");
            key[i] = (String) properties.get("key");
            kind[i] = String.valueOf(properties.get("kind"));
            Object min = properties.get("minHealthy");
            minHealthy[i] = REDUNDANCY_GROUP.equals(kind[i]) ? (min instanceof Number number ? number.intValue() : 1) : NOT_A_GROUP;
            name[i] = properties.get("name") instanceof String text ? text : null;
            criticality[i] = properties.get("criticality") instanceof String text ? text : null;
            revenuePerHour[i] = properties.get("revenuePerHour") instanceof Number number ? number.doubleValue() : null;
            usersAffected[i] = properties.get("usersAffected") instanceof Number number ? number.longValue() : null;
        }
        int[] edges = new int[3 * 1024];
        int edgeCount = 0;
        for (int i = 0; i < n; i++) {
            for (Relationship r : nodes.get(i).getRelationships(Direction.OUTGOING, DEPENDS_ON)) {
                int to = indexOfId.getIfAbsent(r.getEndNodeId(), -1);
                if (to < 0) continue;
                if (3 * edgeCount + 3 > edges.length) edges = Arrays.copyOf(edges, 2 * edges.length);
                edges[3 * edgeCount] = i;
                edges[3 * edgeCount + 1] = to;
                edges[3 * edgeCount + 2] = "SOFT".equals(r.getProperty("strength", null)) ? 1 : 0;
                edgeCount++;
            }
        }
        long readMillis = (System.nanoTime() - started) / 1_000_000;
        Object[][] facts = {name, criticality, revenuePerHour, usersAffected};
        return new TopologySnapshot(version, readMillis, key, kind, minHealthy, facts, edges, edgeCount);
    }
}
