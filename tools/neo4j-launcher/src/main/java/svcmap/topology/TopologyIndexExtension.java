package svcmap.topology;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.ExtensionType;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.impl.factory.DbmsInfo;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.kernel.lifecycle.LifecycleAdapter;

/**
 * Starts a TopologyIndex with every user database (found on the class path: the embedded launcher
 * carries it, and a Neo4j server loads it from its plugins directory) and listens to its commits.
 */
public final class TopologyIndexExtension extends ExtensionFactory<TopologyIndexExtension.Dependencies> {
    /** What the extension needs from each database. */
    public interface Dependencies {
        GraphDatabaseAPI graphdatabaseAPI();

        DatabaseManagementService databaseManagementService();
    }

    public TopologyIndexExtension() {
        super(ExtensionType.DATABASE, "svcmapTopologyIndex");
    }

    @Override
    public Lifecycle newInstance(ExtensionContext context, Dependencies dependencies) {
        GraphDatabaseAPI db = dependencies.graphdatabaseAPI();
        String name = db.databaseName();
        // Community only: a Community server is always standalone, so this listener sees every
        // commit. Whether a cluster member's listener sees the transactions it only replicates is
        // not something this plugin has been checked against, and a snapshot that missed one
        // would answer from an old graph; elsewhere the procedures say "not current" and svcmap
        // runs its Cypher.
        boolean community = context.dbmsInfo() == DbmsInfo.COMMUNITY;
        if (!TopologyIndex.ENABLED || !community || name.equals(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)) return new LifecycleAdapter();
        return new LifecycleAdapter() {
            private TopologyIndex index;
            private TopologyChangeListener listener;

            @Override
            public void start() {
                index = TopologyIndex.start(name, db);
                listener = new TopologyChangeListener(index);
                dependencies.databaseManagementService().registerTransactionEventListener(name, listener);
            }

            @Override
            public void stop() {
                if (listener != null) dependencies.databaseManagementService().unregisterTransactionEventListener(name, listener);
                if (index != null) index.stop();
            }
        };
    }
}
