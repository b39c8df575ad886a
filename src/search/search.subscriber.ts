import type { EventBus } from '../platform/events.js';
import type { PurgeBus } from '../platform/cache/purge-bus.js';
import type { SearchIndex } from './search-index.service.js';

/**
 * Keeps the index current: a published or edited story is (re)indexed, an
 * unpublished one removed, and cached searches are purged in every process so
 * the change shows at once. `index()` looks at the story's status itself, so an
 * "updated" event for a story that is no longer public removes it too.
 */
export function keepSearchIndexCurrent({ events, search, purge, purgeKeys }: { events: EventBus; search: SearchIndex; purge: PurgeBus; purgeKeys: string[] }) {
  const reindex = async ({ articleId }: { articleId: number }) => {
    await search.index(articleId);
    await purge.publish(purgeKeys);
  };
  events.on('article.published', reindex);
  events.on('article.updated', reindex);
  events.on('article.unpublished', async ({ articleId }) => {
    await search.remove(articleId);
    await purge.publish(purgeKeys);
  });
}
