/**
 * The publisher's logo as a PNG (for JSON-LD, feeds and link previews, which
 * want a raster image at a stable URL): the favicon's red tile with a white
 * "D", drawn here so there is no binary file to keep in step with it.
 */
import { deflateSync } from 'node:zlib';

export const LOGO_PATH = '/logo.png';
export const LOGO_SIZE = 512;

/** The favicon's geometry on its 32-unit grid: the tile, then the "D" stroked 3.5 wide. */
const TILE_RADIUS = 6;
const RED = [0xb8, 0x00, 0x1f] as const;

function inTile(x: number, y: number): boolean {
  const cx = Math.min(Math.max(x, TILE_RADIUS), 32 - TILE_RADIUS);
  const cy = Math.min(Math.max(y, TILE_RADIUS), 32 - TILE_RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= TILE_RADIUS ** 2;
}

/** A "D": straight left part from x0 to 16 between y 16±h, closed by a half disc of radius h centred on (16, 16). */
function inD(x: number, y: number, x0: number, h: number): boolean {
  if (x >= x0 && x <= 16 && Math.abs(y - 16) <= h) return true;
  return x > 16 && (x - 16) ** 2 + (y - 16) ** 2 <= h * h;
}

/** The stroke of M9 7h7a9 9 0 0 1 0 18H9z with width 3.5: between the path grown and shrunk by 1.75. */
function inLetter(x: number, y: number): boolean {
  return inD(x, y, 9 - 1.75, 9 + 1.75) && !inD(x, y, 9 + 1.75, 9 - 1.75);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Renders the logo at `size`×`size` pixels, anti-aliased by 4×4 supersampling. */
export function renderLogoPng(size = LOGO_SIZE): Buffer {
  const SS = 4;
  const scale = 32 / size;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let py = 0; py < size; py++) {
    const row = py * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let white = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = (px + (sx + 0.5) / SS) * scale;
          const y = (py + (sy + 0.5) / SS) * scale;
          if (!inTile(x, y)) continue;
          tile++;
          if (inLetter(x, y)) white++;
        }
      }
      const n = SS * SS;
      const i = row + 1 + px * 4;
      if (!tile) continue; // transparent outside the rounded tile
      const w = white / tile;
      raw[i] = Math.round(RED[0] + (255 - RED[0]) * w);
      raw[i + 1] = Math.round(RED[1] + (255 - RED[1]) * w);
      raw[i + 2] = Math.round(RED[2] + (255 - RED[2]) * w);
      raw[i + 3] = Math.round((255 * tile) / n);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let cached: Buffer | undefined;
/** The logo, rendered once per process. */
export function logoPng(): Buffer {
  cached ??= renderLogoPng();
  return cached;
}
