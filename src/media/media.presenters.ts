import { MIME, parseVariants, type MediaRow } from './media.model.js';
import type { MediaJson } from './media.schemas.js';
import { responsiveImage, variantUrl } from './srcset.js';

/** Every field the API shows of an image; nothing else leaves. */
export function presentMedia(row: MediaRow): MediaJson {
  const img = responsiveImage(row);
  return {
    id: row.id,
    url: img.src,
    srcset: img.srcset,
    sizes: img.sizes,
    fallbackSrcset: img.fallback.srcset,
    width: row.width,
    height: row.height,
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    format: row.format,
    bytes: row.bytes,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    variants: parseVariants(row).map((v) => ({ url: variantUrl(v), width: v.width, height: v.height, type: MIME[v.format], bytes: v.bytes })),
  };
}
