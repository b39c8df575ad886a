/**
 * Turning an upload into safe, servable images. An upload is judged by its
 * bytes alone (never its name or declared type), its size read from the
 * header before any pixel is decoded, and then re-encoded from pixels: the
 * files we serve hold no EXIF (GPS location included), no ICC-borne or
 * appended payload, nothing of the upload but its picture.
 */
import { createHash } from 'node:crypto';
import type { Metadata } from 'sharp';
import { AppError } from '../platform/errors.js';
import { variantWidths, type MediaLimits, type SourceFormat, type VariantFormat } from './media.model.js';

export class UnsupportedImageError extends AppError {
  constructor(message = 'Only JPEG, PNG, WebP and AVIF images can be uploaded; this file is none of those.') {
    super(415, 'unsupported_image_type', message);
  }
}

export class ImageTooLargeError extends AppError {
  constructor(message: string) {
    super(422, 'image_too_large', message);
  }
}

export class InvalidImageError extends AppError {
  constructor(message = 'This file looks like an image but could not be read. It may be damaged or cut short.') {
    super(422, 'invalid_image', message);
  }
}

/** What the first bytes say the file is; null for anything we do not take. */
export function sniffFormat(buf: Buffer): SourceFormat | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  // ISO-BMFF: a `ftyp` box whose major or compatible brands name AVIF.
  if (buf.length >= 16 && buf.toString('latin1', 4, 8) === 'ftyp') {
    const size = Math.min(buf.readUInt32BE(0), buf.length, 256);
    const brands: string[] = [buf.toString('latin1', 8, 12)];
    for (let i = 16; i + 4 <= size; i += 4) brands.push(buf.toString('latin1', i, i + 4));
    if (brands.includes('avif') || brands.includes('avis')) return 'avif';
  }
  return null;
}

export interface ProcessedImage {
  /** Content hash of the upload as sent. */
  base: string;
  format: SourceFormat;
  /** As shown, after the EXIF orientation is applied. */
  width: number;
  height: number;
  files: Array<{ name: string; width: number; height: number; format: VariantFormat; data: Buffer }>;
}

const QUALITY = { webp: 80, jpeg: 82 } as const;

/**
 * Decoding a large image takes hundreds of megabytes; a burst of uploads is
 * processed a couple at a time per process, the rest wait their turn.
 */
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  // A finishing upload hands its slot straight to the next in line.
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Reads, checks and re-encodes one upload into its variants. Throws an AppError for anything refused. */
export function processImage(upload: Buffer, limits: MediaLimits): Promise<ProcessedImage> {
  return oneAtATime(() => encode(upload, limits));
}

/**
 * sharp and libvips are loaded at the first upload, not at start: they are
 * about 29 MB of a serving process's resident memory that reading the site never uses.
 */
let loadSharp: Promise<typeof import('sharp')> | undefined;

async function encode(upload: Buffer, limits: MediaLimits): Promise<ProcessedImage> {
  const format = sniffFormat(upload);
  if (!format) throw new UnsupportedImageError();
  const { default: sharp } = await (loadSharp ??= import('sharp'));
  // limitInputPixels makes sharp refuse from the header alone: a bomb is never decoded.
  const input = { limitInputPixels: limits.maxPixels, failOn: 'error' as const, pages: 1 };
  let meta: Metadata;
  try {
    meta = await sharp(upload, input).metadata();
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooLarge(limits);
    throw new InvalidImageError();
  }
  const formatAgrees = format === 'avif' ? meta.format === 'heif' && meta.compression === 'av1' : meta.format === format;
  if (!formatAgrees) throw new UnsupportedImageError();
  if (!meta.width || !meta.height) throw new InvalidImageError();
  if (meta.width > limits.maxSide || meta.height > limits.maxSide || meta.width * meta.height > limits.maxPixels) throw tooLarge(limits);

  // Orientations 5–8 turn the picture a quarter: its shown width is its stored height.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  const fallback: VariantFormat = format === 'png' || meta.hasAlpha ? 'png' : 'jpeg';
  const base = createHash('sha256').update(upload).digest('hex').slice(0, 24);

  const files: ProcessedImage['files'] = [];
  try {
    // Decoded once; each variant is resized from the oriented pixels.
    const source = sharp(upload, input).rotate();
    for (const w of variantWidths(width)) {
      for (const out of ['webp', fallback] as const) {
        let pipeline = source.clone().resize({ width: w, withoutEnlargement: true });
        pipeline = out === 'webp' ? pipeline.webp({ quality: QUALITY.webp })
          : out === 'jpeg' ? pipeline.jpeg({ quality: QUALITY.jpeg, mozjpeg: true, progressive: true })
          : pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
        const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
        const hash = createHash('sha256').update(data).digest('hex').slice(0, 8);
        files.push({ name: `${base}-${info.width}-${hash}.${out === 'jpeg' ? 'jpg' : out}`, width: info.width, height: info.height, format: out, data });
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new InvalidImageError();
  }
  return { base, format, width, height, files };
}

function tooLarge(limits: MediaLimits): ImageTooLargeError {
  return new ImageTooLargeError(
    `The image is too large: at most ${limits.maxSide.toLocaleString('en')} pixels on a side and ${(limits.maxPixels / 1e6).toLocaleString('en')} megapixels in all.`,
  );
}
