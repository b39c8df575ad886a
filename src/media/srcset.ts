/**
 * `srcset` and `sizes` for showing a library image responsively:
 *
 *   const img = responsiveImage(row, { sizes: '(min-width: 60rem) 60rem, 100vw' });
 *   <picture>
 *     <source type="image/webp" srcset={img.webp.srcset} sizes={img.sizes} />
 *     <img src={img.src} srcset={img.fallback.srcset} sizes={img.sizes} width={img.width} height={img.height} alt={row.alt} />
 *   </picture>
 *
 * or, for a plain `<img>` (every browser we serve reads WebP):
 *   <img src={img.src} srcset={img.srcset} sizes={img.sizes} … />
 */
import { parseVariants, MIME, type MediaRow, type MediaVariant, type VariantFormat } from './media.model.js';

/** Where the media folder is served. */
export const MEDIA_PREFIX = '/media/';

/** What a story column is at most wide: the browser picks the variant for this. */
export const DEFAULT_SIZES = '(min-width: 60rem) 60rem, 100vw';
/** The variant shown where only one can be: wide enough for a story column on most screens. */
const DEFAULT_WIDTH = 1280;

export interface SrcsetGroup {
  type: string;
  srcset: string;
}

export interface ResponsiveImage {
  /** The default variant (WebP, up to 1280 wide): for `src`, and `url` in the API. */
  src: string;
  /** Every WebP variant, as `url 640w, …`. */
  srcset: string;
  sizes: string;
  webp: SrcsetGroup;
  /** The JPEG or PNG variants, for a `<picture>` fallback. */
  fallback: SrcsetGroup;
  width: number;
  height: number;
}

export const variantUrl = (v: Pick<MediaVariant, 'path'>, base = ''): string => `${base}${MEDIA_PREFIX}${v.path}`;

function group(variants: MediaVariant[], format: VariantFormat | 'fallback', base: string): { list: MediaVariant[]; srcset: string } {
  const list = variants.filter((v) => (format === 'fallback' ? v.format !== 'webp' : v.format === format)).sort((a, b) => a.width - b.width);
  return { list, srcset: list.map((v) => `${variantUrl(v, base)} ${v.width}w`).join(', ') };
}

/** `base`: an origin for absolute URLs (feeds, e-mail); relative by default. */
export function responsiveImage(row: Pick<MediaRow, 'variants' | 'width' | 'height'>, opts: { sizes?: string; base?: string } = {}): ResponsiveImage {
  const base = opts.base ?? '';
  const variants = parseVariants(row);
  const webp = group(variants, 'webp', base);
  const fallback = group(variants, 'fallback', base);
  const pickFrom = webp.list.length ? webp.list : fallback.list;
  const chosen = [...pickFrom].reverse().find((v) => v.width <= DEFAULT_WIDTH) ?? pickFrom[0];
  return {
    src: chosen ? variantUrl(chosen, base) : '',
    srcset: webp.srcset || fallback.srcset,
    sizes: opts.sizes ?? DEFAULT_SIZES,
    webp: { type: MIME.webp, srcset: webp.srcset },
    fallback: { type: fallback.list[0] ? MIME[fallback.list[0].format] : MIME.jpeg, srcset: fallback.srcset },
    width: row.width,
    height: row.height,
  };
}

/**
 * A variant of an upload as the media routes serve it:
 * `/media/uploads/<first two of file_base>/<file_base>-<width>-<hash>.<ext>`.
 */
const UPLOAD_URL = /^\/media\/uploads\/([0-9a-f]{2})\/([0-9a-f]{24})-\d{1,5}-[0-9a-f]{8}\.(?:webp|jpg|png)$/;

/** The `file_base` of the upload `url` is a variant of, or null for any other URL (demo art, other sites). */
export function uploadBaseOf(url: string): string | null {
  const m = UPLOAD_URL.exec(url);
  return m && m[2]!.startsWith(m[1]!) ? m[2]! : null;
}

/** What a page needs to show a library image responsively, besides the `sizes` of where it shows it. */
export interface LibraryImage {
  /** The WebP variants (or, lacking those, the others), as `url 640w, …`: from the row, never from the story. */
  srcset: string;
  width: number;
  height: number;
}

/**
 * The library images among `urls`, by URL, given the rows of their uploads:
 * a URL is one when it names a variant of one of the rows. Others (typed
 * URLs, demo art, images since deleted) are absent.
 */
export function libraryImagesByUrl(urls: Iterable<string>, rows: Array<Pick<MediaRow, 'variants' | 'width' | 'height'>>): Map<string, LibraryImage> {
  const byPath = new Map<string, Pick<MediaRow, 'variants' | 'width' | 'height'>>();
  for (const row of rows) {
    for (const v of parseVariants(row)) if (!byPath.has(v.path)) byPath.set(v.path, row);
  }
  const found = new Map<string, LibraryImage>();
  for (const url of urls) {
    if (found.has(url) || !url.startsWith(MEDIA_PREFIX)) continue;
    const row = byPath.get(url.slice(MEDIA_PREFIX.length));
    if (!row) continue;
    const img = responsiveImage(row);
    if (img.srcset) found.set(url, { srcset: img.srcset, width: img.width, height: img.height });
  }
  return found;
}

/** The upload each URL names (`/media/uploads/<base>-640.webp` → base), for the URLs that name one. */
export function uploadCandidates(urls: Iterable<string | null | undefined>): Map<string, string> {
  const candidates = new Map<string, string>();
  for (const url of urls) {
    const base = url ? uploadBaseOf(url) : null;
    if (base) candidates.set(url!, base);
  }
  return candidates;
}
