/**
 * The reader's favorites page. Personal (never cached, never shared): the
 * route renders it per request with what the service found.
 */
import type { Page } from '../../content/content.model.js';
import { Pagination, RelTime, pageHref } from '../../web/components.js';
import { SectionLabel } from '../../content/views/story-parts.js';
import { Icon } from '../../web/icons.js';
import { Layout } from '../../web/layout.js';
import type { Chrome } from '../../web/view-types.js';
import type { FavoriteEntry } from '../favorite.service.js';
import { signinPath } from '../favorite.model.js';

export const FAVORITES_PATH = '/favorites';

export type FavoritesPageProps =
  | { chrome: Chrome; signedIn: true; favorites: Page<FavoriteEntry> }
  | { chrome: Chrome; signedIn: false };

export function storiesLabel(n: number): string {
  return n === 1 ? '1 saved story' : `${n.toLocaleString('en-US')} saved stories`;
}

function RemoveForm({ entry }: { entry: FavoriteEntry }) {
  return (
    <form method="post" action={`${FAVORITES_PATH}/${entry.articleId}/remove`} class="favorite-remove">
      <button type="submit" class="favorite-remove__button">
        Remove<span class="visually-hidden"> “{entry.headline}” from your favorites</span>
      </button>
    </form>
  );
}

function FavoriteItem({ entry, now }: { entry: FavoriteEntry; now: Date }) {
  const { article } = entry;
  return (
    <li class={`favorite-item${article ? '' : ' favorite-item--gone'}`}>
      <div class="favorite-item__story">
        {article ? <SectionLabel section={article.section} /> : null}
        <h2 class="favorite-item__headline">{article ? <a href={article.path}>{article.headline}</a> : entry.headline}</h2>
        <p class="favorite-item__meta">
          {article ? null : <strong class="favorite-item__gone">No longer available</strong>}
          <RelTime iso={entry.savedAt} now={now} prefix="Saved " />
        </p>
      </div>
      <RemoveForm entry={entry} />
    </li>
  );
}

function SignedInList({ favorites, now }: { favorites: Page<FavoriteEntry>; now: Date }) {
  const { items, page, totalPages, total } = favorites;
  if (total === 0) {
    return (
      <div class="empty-state favorites-empty">
        <p>You have not saved any stories yet.</p>
        <p>
          Use <strong>Add to favorites</strong> on any story to keep it here, on every device you sign in on.
        </p>
      </div>
    );
  }
  return (
    <>
      <p class="favorites-count">{storiesLabel(total)}, newest saved first.</p>
      <ol class="favorite-list" role="list">
        {items.map((entry) => (
          <FavoriteItem entry={entry} now={now} />
        ))}
      </ol>
      <Pagination page={page} totalPages={totalPages} basePath={FAVORITES_PATH} />
    </>
  );
}

function SignedOut() {
  return (
    <>
      <div class="favorites-intro">
        <p>
          Favorites keep the stories you want to come back to. Use <strong>Add to favorites</strong> on any story.
        </p>
        <p>
          <a class="button" href={signinPath(FAVORITES_PATH)}>
            Sign in
          </a>{' '}
          to keep your favorites on every device. Without an account they are kept in this browser only.
        </p>
      </div>
      {/* Filled by the page's script from the favorites kept in this browser. */}
      <section class="favorites-local" data-local-favorites="" aria-labelledby="favorites-local-heading" hidden>
        <h2 id="favorites-local-heading" class="block-heading">
          Saved on this device
        </h2>
        <p class="favorites-local__status" data-local-favorites-status="" />
        <ol class="favorite-list" role="list" data-local-favorites-list="" />
      </section>
    </>
  );
}

export function FavoritesPage(props: FavoritesPageProps) {
  const { chrome } = props;
  const page = props.signedIn ? props.favorites.page : 1;
  return (
    <Layout chrome={chrome} meta={{ title: page > 1 ? `Your favorites: page ${page}` : 'Your favorites', canonicalPath: pageHref(FAVORITES_PATH, page), noindex: true }}>
      <header class="page-header favorites-header">
        <h1 class="page-header__title">
          <Icon name="star" size={30} />
          <span>Your favorites</span>
        </h1>
      </header>
      {props.signedIn ? <SignedInList favorites={props.favorites} now={chrome.now} /> : <SignedOut />}
    </Layout>
  );
}
