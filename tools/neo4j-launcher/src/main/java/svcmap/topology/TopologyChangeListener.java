package svcmap.topology;

import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.LabelEntry;
import org.neo4j.graphdb.event.PropertyEntry;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListener;

/**
 * Tells the index when a transaction touches the structure: a CI created or deleted (or its label
 * set or removed), a CI's key, kind, minHealthy or scoring facts (name, criticality, revenue per
 * hour, users affected) changed, a DEPENDS_ON created, deleted or its
 * strength changed. Writes to anything else (alerts, history, provenance, sync ledgers) leave the
 * snapshot current. The version moves before the commit, so no reader uses the old snapshot once
 * the change is visible, and again after it, so a snapshot read in between is not published.
 */
final class TopologyChangeListener implements TransactionEventListener<Boolean> {
    private final TopologyIndex index;

    TopologyChangeListener(TopologyIndex index) {
        this.index = index;
    }

    @Override
    public Boolean beforeCommit(TransactionData data, Transaction transaction, GraphDatabaseService databaseService) {
        if (touchesStructure(data)) {
            index.changed();
            return Boolean.TRUE;
        }
        return Boolean.FALSE;
    }

    @Override
    public void afterCommit(TransactionData data, Boolean touched, GraphDatabaseService databaseService) {
        after(touched);
    }

    @Override
    public void afterRollback(TransactionData data, Boolean touched, GraphDatabaseService databaseService) {
        after(touched);
    }

    private void after(Boolean touched) {
        if (Boolean.TRUE.equals(touched)) {
            index.changed();
            index.requestRead();
        }
    }

    static boolean touchesStructure(TransactionData data) {
        for (Relationship r : data.createdRelationships()) if (r.isType(TopologySnapshot.DEPENDS_ON)) return true;
        for (Relationship r : data.deletedRelationships()) if (r.isType(TopologySnapshot.DEPENDS_ON)) return true;
        for (PropertyEntry<Relationship> p : data.assignedRelationshipProperties()) if (p.key().equals("strength") && p.entity().isType(TopologySnapshot.DEPENDS_ON)) return true;
        for (PropertyEntry<Relationship> p : data.removedRelationshipProperties()) if (p.key().equals("strength") && p.entity().isType(TopologySnapshot.DEPENDS_ON)) return true;
        for (LabelEntry l : data.assignedLabels()) if (l.label().equals(TopologySnapshot.CI)) return true;
        for (LabelEntry l : data.removedLabels()) if (l.label().equals(TopologySnapshot.CI)) return true;
        for (Node n : data.createdNodes()) if (n.hasLabel(TopologySnapshot.CI)) return true;
        for (PropertyEntry<Node> p : data.assignedNodeProperties()) if (structural(p.key()) && hasCiLabel(data, p.entity())) return true;
        for (PropertyEntry<Node> p : data.removedNodeProperties()) if (structural(p.key()) && hasCiLabel(data, p.entity())) return true;
        return false;
    }

    private static boolean structural(String property) {
        return switch (property) {
            case "key", "kind", "minHealthy", "name", "criticality", "revenuePerHour", "usersAffected" -> true;
            default -> false;
        };
    }

    /** A deleted node's labels are gone; its CI label shows among the removed ones, counted above. */
    private static boolean hasCiLabel(TransactionData data, Node node) {
        return !data.isDeleted(node) && node.hasLabel(TopologySnapshot.CI);
    }
}
