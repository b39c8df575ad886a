/**
 * The media library at /newsroom/media: upload an image, browse the library
 * as a grid, write each image's alt text, caption and credit, delete. Plain
 * forms (multipart for the upload), so it all works without JavaScript.
 * Receives everything it shows; no I/O.
 */
import { RelTime } from '../../web/components.js';
import { FilterForm, HiddenFields, Pager, PostButton, SearchField } from './controls.js';

export interface MediaCard {
  id: number;
  /** The smallest variant, for the grid. */
  thumb: { src: string; srcset: string; width: number; height: number };
  /** The largest JPEG or PNG variant: what "the file" is for someone who wants to download it. */
  file: { name: string; href: string };
  /** Of the upload as sent. */
  bytes: number;
  format: string;
  width: number;
  height: number;
  alt: string;
  caption: string | null;
  credit: string | null;
  uploadedBy: string | null;
  createdAt: string;
  /** May change the alt text, caption and credit (contributors: their own uploads). */
  canEdit: boolean;
  /** May delete (editors and admins). */
  canDelete: boolean;
}

/** Which part of the library is shown; sent back by every form so an action returns to the same place. */
export interface LibraryView {
  page: number;
  /** Text looked for in the alt text and caption. */
  q: string;
  /** Only images without alt text. */
  missingAlt: boolean;
}

export interface MediaLibraryProps {
  view: LibraryView;
  items: MediaCard[];
  total: number;
  totalPages: number;
  canUpload: boolean;
  /** The largest upload accepted, in bytes (said on the form; the script checks it before sending). */
  maxBytes: number;
  /** The text limits of alt, caption and credit. */
  limits: { alt: number; caption: number; credit: number };
  hrefForPage: (page: number) => string;
  now: Date;
}

export const ALT_NEEDED = 'Alt text needed before a story using it can be published';

/** "840 KB", "2.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The fields that bring an action back to the page it was made on. */
function returnFields(view: LibraryView): Record<string, string> {
  const fields: Record<string, string> = {};
  if (view.page > 1) fields.page = String(view.page);
  if (view.q) fields.q = view.q;
  if (view.missingAlt) fields.missing = 'alt';
  return fields;
}

function UploadForm({ maxBytes, limits }: Pick<MediaLibraryProps, 'maxBytes' | 'limits'>) {
  return (
    <form
      method="post"
      action="/newsroom/media"
      enctype="multipart/form-data"
      class="nr-form nr-panel nr-media__upload"
      aria-labelledby="media-upload-title"
      data-media-upload=""
      data-max-bytes={String(maxBytes)}
    >
      <h2 id="media-upload-title" class="nr-media__heading">
        Upload an image
      </h2>
      <div class="nr-field">
        <label for="media-upload-file">Image</label>
        <input id="media-upload-file" type="file" name="file" required accept="image/jpeg,image/png,image/webp,image/avif" aria-describedby="media-upload-file-hint" />
        <p id="media-upload-file-hint" class="field__hint">
          JPEG, PNG, WebP or AVIF, at most {formatBytes(maxBytes)}. Location and camera data are removed.
        </p>
      </div>
      <div class="nr-field">
        <label for="media-upload-alt">Alt text</label>
        <textarea id="media-upload-alt" name="alt" rows={2} maxLength={limits.alt} aria-describedby="media-upload-alt-hint"></textarea>
        <p id="media-upload-alt-hint" class="field__hint">
          What the image shows, for readers who cannot see it. A story cannot be published with an image that has none.
        </p>
      </div>
      <div class="nr-inline">
        <div class="nr-field nr-media__grow">
          <label for="media-upload-caption">Caption</label>
          <input id="media-upload-caption" type="text" name="caption" maxLength={limits.caption} />
        </div>
        <div class="nr-field">
          <label for="media-upload-credit">Credit</label>
          <input id="media-upload-credit" type="text" name="credit" maxLength={limits.credit} placeholder="Reuters/Jane Doe" />
        </div>
      </div>
      <button type="submit" class="button button--primary">
        Upload
      </button>
    </form>
  );
}

function SearchForm({ view }: { view: LibraryView }) {
  return (
    <FilterForm
      action="/newsroom/media"
      class="nr-media__search"
      label="Search the media library"
      submit="Search"
      submitClass="button button--small"
      clear={view.q || view.missingAlt ? { text: 'Show every image', class: 'nr-field' } : null}
    >
      <SearchField id="media-search-q" label="Alt text or caption contains" value={view.q} />
      <div class="nr-field">
        <label>
          <input type="checkbox" name="missing" value="alt" checked={view.missingAlt} /> Only images without alt text
        </label>
      </div>
    </FilterForm>
  );
}

function EditForm({ item, view, limits }: { item: MediaCard; view: LibraryView; limits: MediaLibraryProps['limits'] }) {
  const id = (f: string) => `media-${item.id}-${f}`;
  return (
    <form method="post" action={`/newsroom/media/${item.id}`} class="nr-form nr-media__edit">
      <HiddenFields fields={returnFields(view)} />
      <div class="nr-field">
        <label for={id('alt')}>Alt text</label>
        <textarea id={id('alt')} name="alt" rows={3} maxLength={limits.alt}>
          {item.alt}
        </textarea>
      </div>
      <div class="nr-field">
        <label for={id('caption')}>Caption</label>
        <textarea id={id('caption')} name="caption" rows={2} maxLength={limits.caption}>
          {item.caption ?? ''}
        </textarea>
      </div>
      <div class="nr-field">
        <label for={id('credit')}>Credit</label>
        <input id={id('credit')} type="text" name="credit" value={item.credit ?? ''} maxLength={limits.credit} />
      </div>
      <button type="submit" class="button button--small">
        Save<span class="visually-hidden"> image {item.id}</span>
      </button>
    </form>
  );
}

function Card({ item, view, limits, now }: { item: MediaCard; view: LibraryView; limits: MediaLibraryProps['limits']; now: Date }) {
  const missing = !item.alt;
  return (
    <li class={`nr-media__item${missing ? ' nr-media__item--no-alt' : ''}`} id={`media-${item.id}`} data-media-id={String(item.id)}>
      <figure class="nr-media__figure">
        {/* The alt text is printed just below, so the thumbnail is not announced twice. */}
        <img
          src={item.thumb.src}
          srcset={item.thumb.srcset}
          sizes="(min-width: 48rem) 16rem, 50vw"
          width={item.thumb.width}
          height={item.thumb.height}
          alt=""
          loading="lazy"
          decoding="async"
        />
        {item.caption || item.credit ? (
          <figcaption>
            {item.caption}
            {item.caption && item.credit ? ' ' : null}
            {item.credit ? <span class="nr-media__credit">{item.credit}</span> : null}
          </figcaption>
        ) : null}
      </figure>
      {missing ? (
        <p class="nr-media__flag" role="note">
          <strong>No alt text.</strong> {ALT_NEEDED}.
        </p>
      ) : (
        <p class="nr-media__alt">
          <span class="nr-media__label">Alt text:</span> {item.alt}
        </p>
      )}
      <dl class="nr-media__facts">
        <dt>File</dt>
        <dd>
          <a href={item.file.href} class="nr-media__file">
            {item.file.name}
          </a>
        </dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(item.bytes)} {item.format.toUpperCase()}
        </dd>
        <dt>Dimensions</dt>
        <dd>
          {item.width} × {item.height} pixels
        </dd>
        <dt>Uploaded</dt>
        <dd>
          {item.uploadedBy ? `by ${item.uploadedBy} ` : ''}
          <RelTime iso={item.createdAt} now={now} />
        </dd>
      </dl>
      {item.canEdit ? (
        <details class="nr-media__details" open={missing}>
          <summary>{missing ? 'Write the alt text' : 'Edit alt text, caption and credit'}</summary>
          <EditForm item={item} view={view} limits={limits} />
        </details>
      ) : null}
      {item.canDelete ? (
        <PostButton
          action={`/newsroom/media/${item.id}/delete`}
          class="nr-media__delete"
          fields={returnFields(view)}
          label="Delete"
          what={`image ${item.id}`}
          small
          danger
          confirm="Delete this image? Stories that show it will show a broken image."
        />
      ) : null}
    </li>
  );
}

export function MediaLibrary(props: MediaLibraryProps) {
  const { view, items, total, totalPages, canUpload, maxBytes, limits, hrefForPage, now } = props;
  const filtered = !!view.q || view.missingAlt;
  return (
    <div class="nr-media">
      {canUpload ? <UploadForm maxBytes={maxBytes} limits={limits} /> : null}
      <h2 class="nr-media__heading">{filtered ? 'Matching images' : 'The library'}</h2>
      <SearchForm view={view} />
      <p class="nr-media__count">{total === 1 ? '1 image' : `${total.toLocaleString('en')} images`}</p>
      {items.length === 0 ? (
        <p class="nr-empty">
          {view.page > 1 && total > 0 ? (
            <>
              There is no page {view.page}. <a href={hrefForPage(1)}>Back to the first page</a>
            </>
          ) : filtered ? (
            'No images match.'
          ) : (
            'The library is empty. Upload the first image above.'
          )}
        </p>
      ) : (
        <ul class="nr-media__grid">
          {items.map((item) => (
            <Card item={item} view={view} limits={limits} now={now} />
          ))}
        </ul>
      )}
      <Pager page={view.page} totalPages={totalPages} what="images" href={hrefForPage} />
    </div>
  );
}
