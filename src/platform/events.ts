import type { Transaction } from 'kysely';
import type { Database } from './db/types.js';

/**
 * The typed domain event bus. Services emit what happened; side effects such as
 * cache purges and search indexing subscribe. Handlers run after the emitting
 * call returns to its caller's await (they are awaited by `emit`), and a failing
 * handler is logged, never allowed to undo the change that already happened.
 */
export interface DomainEvents {
  'article.published': { articleId: number; keys: string[] };
  'article.updated': { articleId: number; keys: string[] };
  'article.unpublished': { articleId: number; keys: string[] };
  'content.changed': { keys: string[] };
  /** A comment became visible, or a visible one changed or went away: the article's pages must show it. */
  'comment.published': { commentId: number; articleId: number; keys: string[] };
  'comment.removed': { commentId: number; articleId: number; keys: string[] };
  /** A wire item or a new version of one was stored (after its transaction committed): the desk's queue changed. */
  'wire.item.stored': { providerId: number; itemId: number; versionId: number; seq: number; isNew: boolean };
}

/**
 * Events handled inside the emitter's transaction: the handlers' changes
 * commit with it, and a failing handler undoes the whole change.
 */
export interface TransactionalEvents {
  /**
   * An account is being deleted: other domains forget what ties their rows to it.
   * `afterCommit` queues what must wait for the commit (cache purges of what changed).
   */
  'account.deleted': { userId: number; trx: Transaction<Database>; afterCommit: (task: () => Promise<void>) => void };
}

type TxHandler<K extends keyof TransactionalEvents> = (payload: TransactionalEvents[K]) => Promise<void>;

type Handler<K extends keyof DomainEvents> = (payload: DomainEvents[K]) => void | Promise<void>;

export class EventBus {
  private handlers: { [K in keyof DomainEvents]?: Array<Handler<K>> } = {};
  private txHandlers: { [K in keyof TransactionalEvents]?: Array<TxHandler<K>> } = {};

  constructor(private readonly onError: (err: unknown, event: string) => void = () => {}) {}

  on<K extends keyof DomainEvents>(event: K, handler: Handler<K>): () => void {
    const list: Array<Handler<K>> = (this.handlers[event] ??= []);
    list.push(handler);
    return () => {
      const i = list.indexOf(handler);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Runs `handler` inside the transaction of every `emitInTransaction(event)`. */
  onInTransaction<K extends keyof TransactionalEvents>(event: K, handler: TxHandler<K>): void {
    const list: Array<TxHandler<K>> = (this.txHandlers[event] ??= []);
    list.push(handler);
  }

  /** Runs the event's handlers in the payload's transaction; an error propagates, so the caller's transaction rolls back. */
  async emitInTransaction<K extends keyof TransactionalEvents>(event: K, payload: TransactionalEvents[K]): Promise<void> {
    for (const handler of this.txHandlers[event] ?? []) await handler(payload);
  }

  async emit<K extends keyof DomainEvents>(event: K, payload: DomainEvents[K]): Promise<void> {
    for (const handler of this.handlers[event] ?? []) {
      try {
        await handler(payload);
      } catch (err) {
        this.onError(err, event);
      }
    }
  }
}
