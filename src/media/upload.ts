/**
 * Reading an image upload from a multipart request: the one file (whatever
 * its name; the name is never used) and its text fields, with the size
 * limits of the media library. The admin API and the newsroom's upload form
 * both use it.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, ValidationError } from '../platform/errors.js';
import { checkText } from '../platform/input.js';
import type { MediaLimits } from './media.model.js';
import { TEXT_LIMITS } from './media.schemas.js';

export class FileTooLargeError extends AppError {
  constructor(limits: MediaLimits) {
    super(413, 'file_too_large', `The file is larger than ${Math.round(limits.maxBytes / (1024 * 1024))} MB, the most an upload may be.`);
  }
}

/** Caption and the like travel as multipart fields; the text limits are those of the JSON API. */
const FIELDS = new Set<keyof typeof TEXT_LIMITS>(['alt', 'caption', 'credit']);

/** @fastify/multipart's limits for one image and its text fields (the newsroom's upload form uses them too). */
export function multipartLimits(limits: MediaLimits) {
  return { fileSize: limits.maxBytes, files: 1, fields: 10, fieldSize: Math.max(...Object.values(TEXT_LIMITS)) * 4, parts: 12, headerPairs: 50 };
}

/**
 * Reads the multipart body: the one file (whatever its name; the name is never
 * used) into memory, up to the size limit, and the text fields.
 */
export async function readUpload(req: FastifyRequest, limits: MediaLimits): Promise<{ data: Buffer; fields: Partial<Record<keyof typeof TEXT_LIMITS, string>> }> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'multipart_required', 'Send the image as multipart/form-data, in a field named "file".');
  }
  let data: Buffer | null = null;
  const fields: Partial<Record<keyof typeof TEXT_LIMITS, string>> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw new ValidationError(`Send the image in a field named "file", not "${part.fieldname.slice(0, 40)}".`);
        data = await part.toBuffer();
        continue;
      }
      const name = part.fieldname as keyof typeof TEXT_LIMITS;
      if (!FIELDS.has(name)) throw new ValidationError(`"${part.fieldname.slice(0, 40)}" is not a field this API accepts; send file, alt, caption and credit.`);
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      if (part.valueTruncated || value.length > TEXT_LIMITS[name]) throw new ValidationError(`The ${name} is too long: at most ${TEXT_LIMITS[name]} characters.`);
      // Multipart fields are read here, not parsed before the route: checked as every other body text is.
      checkText(name, value);
      fields[name] = value;
    }
  } catch (err) {
    throw uploadError(err, limits);
  }
  if (!data) throw new AppError(400, 'file_required', 'No image was sent: put it in a field named "file".');
  if (data.length === 0) throw new AppError(400, 'empty_file', 'The file sent is empty.');
  return { data, fields };
}

/** @fastify/multipart's errors, said plainly. */
function uploadError(err: unknown, limits: MediaLimits): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE': return new FileTooLargeError(limits);
    case 'FST_FILES_LIMIT': return new ValidationError('Send one image per upload.');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT': return new ValidationError('Too many fields: send file, alt, caption and credit.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_MULTIPART_INVALID_CONTENT_TYPE': return new AppError(415, 'multipart_required', 'Send the image as multipart/form-data, in a field named "file".');
    default:
      if (err instanceof Error && /multipart|boundary|unexpected end/i.test(err.message)) return new ValidationError('The upload was cut short or malformed; please try again.');
      return err;
  }
}
