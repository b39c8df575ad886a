import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Db } from '../../src/platform/db/connection.js';

/**
 * Counts the statements the app sends to the database (every Kysely query,
 * raw `sql` ones included, each compiled once per execution), and keeps their
 * kinds, so a test can assert how many a page render costs.
 */
export class QueryCounter implements KyselyPlugin {
  count = 0;
  kinds: string[] = [];

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    // The first table named, for a readable failure message.
    const table = /"identifier":\{"kind":"IdentifierNode","name":"([^"]+)"/.exec(JSON.stringify(node))?.[1];
    this.kinds.push(table ? `${node.kind}(${table})` : node.kind);
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }

  reset(): void {
    this.count = 0;
    this.kinds = [];
  }

  /** The database as the app should use it: the same connection, every query counted. */
  wrap(db: Db): Db {
    return { ...db, kysely: db.kysely.withPlugin(this) };
  }
}
