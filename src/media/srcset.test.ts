import { describe, expect, it } from 'vitest';
import { responsiveImage } from './srcset.js';
import type { MediaVariant } from './media.model.js';

const v = (width: number, format: MediaVariant['format']): MediaVariant => ({
  path: `uploads/ab/ab-${width}-00000000.${format === 'jpeg' ? 'jpg' : format}`, width, height: Math.round(width / 2), format, bytes: 1000,
});

const row = (variants: MediaVariant[], width = 2000) => ({ variants: JSON.stringify(variants), width, height: width / 2 });

describe('responsiveImage', () => {
  it('lists WebP variants narrowest first and picks the widest up to 1280 as src', () => {
    const img = responsiveImage(row([v(1920, 'webp'), v(320, 'webp'), v(1280, 'webp'), v(320, 'jpeg'), v(1920, 'jpeg')]));
    expect(img.srcset).toBe('/media/uploads/ab/ab-320-00000000.webp 320w, /media/uploads/ab/ab-1280-00000000.webp 1280w, /media/uploads/ab/ab-1920-00000000.webp 1920w');
    expect(img.src).toBe('/media/uploads/ab/ab-1280-00000000.webp');
    expect(img.fallback).toEqual({ type: 'image/jpeg', srcset: '/media/uploads/ab/ab-320-00000000.jpg 320w, /media/uploads/ab/ab-1920-00000000.jpg 1920w' });
    expect(img.webp.type).toBe('image/webp');
    expect(img.sizes).toMatch(/100vw/);
    expect([img.width, img.height]).toEqual([2000, 1000]);
  });

  it('uses the narrowest variant for a small image, PNG fallbacks, absolute URLs and given sizes', () => {
    const img = responsiveImage(row([v(200, 'png'), v(200, 'webp')], 200), { base: 'https://news.example', sizes: '50vw' });
    expect(img.src).toBe('https://news.example/media/uploads/ab/ab-200-00000000.webp');
    expect(img.fallback.type).toBe('image/png');
    expect(img.sizes).toBe('50vw');
  });

  it('copes with an image without WebP variants', () => {
    const img = responsiveImage(row([v(1920, 'jpeg'), v(2400, 'jpeg')]));
    expect(img.src).toBe('/media/uploads/ab/ab-1920-00000000.jpg');
    expect(img.srcset).toContain('2400w');
  });
});
