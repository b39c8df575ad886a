import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sniffFormat } from './image.js';
import { variantWidths } from './media.model.js';

describe('sniffFormat', () => {
  it('knows the four formats we take by their bytes', async () => {
    const make = (f: 'jpeg' | 'png' | 'webp' | 'avif') => sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).toFormat(f).toBuffer();
    for (const f of ['jpeg', 'png', 'webp', 'avif'] as const) expect(sniffFormat(await make(f))).toBe(f);
  });

  it('refuses everything else, whatever it claims', () => {
    for (const bytes of ['GIF89a\x01\x00', '<svg xmlns="http://www.w3.org/2000/svg"/>', '<html>', 'RIFF\0\0\0\0WAVEfmt ', '\0\0\0\x18ftypheic\0\0\0\0mif1heic', '', '\xff\xd8']) {
      expect(sniffFormat(Buffer.from(bytes, 'latin1')), JSON.stringify(bytes)).toBeNull();
    }
  });
});

describe('variantWidths', () => {
  it('never enlarges, and tops out at 1920', () => {
    expect(variantWidths(100)).toEqual([100]);
    expect(variantWidths(320)).toEqual([320]);
    expect(variantWidths(700)).toEqual([320, 640, 700]);
    expect(variantWidths(1920)).toEqual([320, 640, 960, 1280, 1920]);
    expect(variantWidths(6000)).toEqual([320, 640, 960, 1280, 1920]);
  });
});
