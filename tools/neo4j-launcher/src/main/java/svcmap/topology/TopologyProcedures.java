package svcmap.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/**
 * The walks svcmap's impact and root-cause features need, over the in-process TopologyIndex. When
 * the index is not current (a write since it was read, or none read yet) each returns a single row
 * with `fresh` false and the service runs its Cypher instead: an answer never comes from an old
 * snapshot.
 */
public final class TopologyProcedures {
    /** The most hops a walk takes, as for the service's Cypher (depthBound). */
    private static final long MAX_DEPTH = 1000;

    @Context
    public GraphDatabaseService db;

    /** A chunk of walked CIs (TopologyRows), or the one row that says the index is not current. */
    public static final class Rows {
        public boolean fresh;
        public List<String> missing;
        public String keys;
        public String kinds;
        public String facts;
        /** Base64 of little-endian 32-bit integers (TopologyRows). */
        public String ints;
        public long rows;
    }

    /** What the index holds. */
    public static final class Status {
        public boolean enabled;
        public boolean fresh;
        public long version;
        public long snapshotVersion;
        public long cis;
        public long dependencies;
        public long readMillis;
        public String lastError;
    }

    @Procedure(name = "svcmap.topology.impacted", mode = Mode.READ)
    @Description("svcmap: the CIs that depend on any of `keys` within `maxDepth` hops, and those CIs, with their dependents among them and the scoring facts of those of `factsFor` kinds; packed rows in key order")
    public Stream<Rows> impacted(
            @Name("keys") List<String> keys,
            @Name("maxDepth") long maxDepth,
            @Name(value = "factsFor", defaultValue = "[]") List<String> factsFor) {
        return walk(keys, maxDepth, TopologyRows.Shape.IMPACT, new HashSet<>(factsFor));
    }

    @Procedure(name = "svcmap.topology.upstream", mode = Mode.READ)
    @Description("svcmap: `keys` and every CI they depend on within `maxDepth` hops, with their dependencies among them; packed rows in key order")
    public Stream<Rows> upstream(@Name("keys") List<String> keys, @Name("maxDepth") long maxDepth) {
        return walk(keys, maxDepth, TopologyRows.Shape.UPSTREAM, Set.of());
    }

    @Procedure(name = "svcmap.topology.status", mode = Mode.READ)
    @Description("svcmap: whether the topology index runs here and holds the graph as committed now")
    public Stream<Status> status() {
        Status status = new Status();
        TopologyIndex index = TopologyIndex.of(db.databaseName());
        status.enabled = index != null;
        if (index != null) {
            TopologySnapshot current = index.current();
            TopologySnapshot last = current != null ? current : index.last();
            status.fresh = current != null;
            status.version = index.version();
            status.lastError = index.lastError();
            if (last != null) {
                status.snapshotVersion = last.version;
                status.cis = last.size;
                status.dependencies = last.providerTo.length;
                status.readMillis = last.readMillis;
            }
        }
        return Stream.of(status);
    }

    private Stream<Rows> walk(List<String> keys, long maxDepth, TopologyRows.Shape shape, Set<String> factsFor) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH) throw new IllegalArgumentException("maxDepth must be from 0 to " + MAX_DEPTH + ", got " + maxDepth);
        TopologyIndex index = TopologyIndex.of(db.databaseName());
        TopologySnapshot s = index == null ? null : index.current();
        if (s == null) {
            Rows stale = new Rows();
            stale.fresh = false;
            stale.missing = List.of();
            return Stream.of(stale);
        }
        int[] distance = new int[s.size];
        Arrays.fill(distance, -1);
        int[] queue = new int[s.size];
        int size = 0;
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            int i = key == null ? -1 : s.indexOf(key);
            if (i < 0) missing.add(key);
            else if (distance[i] < 0) {
                distance[i] = 0;
                queue[size++] = i;
            }
        }
        int[] start = shape == TopologyRows.Shape.IMPACT ? s.consumerStart : s.providerStart;
        int[] next = shape == TopologyRows.Shape.IMPACT ? s.consumerFrom : s.providerTo;
        for (int head = 0; head < size; head++) {
            int x = queue[head];
            if (distance[x] == maxDepth) continue;
            for (int e = start[x]; e < start[x + 1]; e++) {
                int y = next[e];
                if (distance[y] < 0) {
                    distance[y] = distance[x] + 1;
                    queue[size++] = y;
                }
            }
        }
        return TopologyRows.pack(s, distance, shape, missing, factsFor).stream();
    }
}
