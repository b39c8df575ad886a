/**
 * What an image in the media library is, apart from where it is stored: the
 * formats we take, the limits we hold uploads to, and the variants we make.
 */
import type { MediaTable } from '../platform/db/types.js';
import type { Selectable } from 'kysely';

export type MediaRow = Selectable<MediaTable>;

/** Formats accepted from uploaders, named as sharp names them (AVIF is `heif` with AV1 inside). */
export type SourceFormat = 'jpeg' | 'png' | 'webp' | 'avif';
/** Formats we write. */
export type VariantFormat = 'webp' | 'jpeg' | 'png';

export interface MediaVariant {
  /** Path under the media folder, e.g. `uploads/3f/3f9a…-640-1c2d3e4f.webp`; served at `/media/<path>`. */
  path: string;
  width: number;
  height: number;
  format: VariantFormat;
  bytes: number;
}

export const MIME: Record<VariantFormat | SourceFormat, string> = {
  jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif',
};

export interface MediaLimits {
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Largest width and height accepted, in pixels. */
  maxSide: number;
  /** Largest area accepted, in pixels: checked from the header, before anything is decoded. */
  maxPixels: number;
}

export const DEFAULT_LIMITS: MediaLimits = { maxBytes: 15 * 1024 * 1024, maxSide: 12_000, maxPixels: 100_000_000 };

/** Widths of the responsive variants; an image never gets one wider than itself. */
export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1920] as const;

/** The widths to make for an image `width` pixels wide: the standard ones below it, and its own width up to the largest. */
export function variantWidths(width: number): number[] {
  const largest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
  const widths: number[] = VARIANT_WIDTHS.filter((w) => w < width);
  widths.push(Math.min(width, largest));
  return [...new Set(widths)];
}

export function parseVariants(row: Pick<MediaRow, 'variants'>): MediaVariant[] {
  const parsed: unknown = JSON.parse(row.variants);
  return Array.isArray(parsed) ? (parsed as MediaVariant[]) : [];
}
