/**
 * Demo-edition pictures, drawn as small standalone SVG documents.
 *
 * Every picture is derived from its key alone: a hash of the key seeds a
 * tiny PRNG, and keywords in the key choose a fitting scene (landscape,
 * rain, city, sea/port, chart, sport, night sky, desert road or a
 * geometric pattern). The same key always gives byte-identical output.
 * Scenes are drawn on a fixed 1200×675 canvas and scaled to the requested
 * size with `preserveAspectRatio="xMidYMid slice"`, so any aspect ratio
 * crops gracefully instead of distorting.
 */
import { escapeXml } from '../web/escape.js';

const CANVAS_W = 1200;
const CANVAS_H = 675;

type Rand = () => number;

interface Palette {
  readonly sky: readonly [string, string];
  readonly layers: readonly [string, string, string, string];
  readonly accent: string;
  readonly ink: string;
  readonly light: string;
}

const PALETTES = {
  dawn: { sky: ['#f3c9a8', '#fbeee1'], layers: ['#cfae96', '#a98470', '#7d5d4e', '#4f3b34'], accent: '#ef8354', ink: '#2e2421', light: '#fff8f0' },
  teal: { sky: ['#93cddd', '#e9f5f2'], layers: ['#86bba6', '#619a85', '#417664', '#28513f'], accent: '#ffd166', ink: '#17332a', light: '#f7fbf9' },
  dusk: { sky: ['#45407a', '#e29a8b'], layers: ['#7a5a86', '#5c4570', '#3f3155', '#241e38'], accent: '#ffd08a', ink: '#191427', light: '#fde8d7' },
  ochre: { sky: ['#f0cf94', '#fbf2de'], layers: ['#dcab6d', '#c3894e', '#9b6236', '#6b4024'], accent: '#e4572e', ink: '#3a2414', light: '#fff7e8' },
  slate: { sky: ['#7f909e', '#cdd6dc'], layers: ['#6c7f8c', '#566a77', '#42535e', '#2c3941'], accent: '#e8edf1', ink: '#1d262c', light: '#f2f5f7' },
  night: { sky: ['#0e1a33', '#2c4068'], layers: ['#27375b', '#1e2b48', '#151f36', '#0c1324'], accent: '#f4e7b4', ink: '#070b16', light: '#e9eefc' },
  sage: { sky: ['#d7e4cd', '#f6f4e8'], layers: ['#a7bf93', '#86a275', '#66835a', '#46603f'], accent: '#e07a5f', ink: '#243322', light: '#fbfaf3' },
  harbour: { sky: ['#b7d4ec', '#eef5fb'], layers: ['#5d8fba', '#41719b', '#2b5679', '#1b3b58'], accent: '#f4b860', ink: '#12283d', light: '#f6fafd' },
} satisfies Record<string, Palette>;

type PaletteName = keyof typeof PALETTES;
const DAY_PALETTES: readonly PaletteName[] = ['dawn', 'teal', 'dusk', 'ochre', 'sage', 'harbour'];

type Scene = 'landscape' | 'rain' | 'city' | 'sea' | 'chart' | 'sport' | 'night' | 'desert' | 'pattern';

/** Keyword → scene, checked in this order; the first hit wins. */
const SCENE_KEYWORDS: ReadonlyArray<readonly [Scene, readonly string[]]> = [
  ['chart', ['chart', 'prices', 'price', 'rates', 'index', 'polls', 'poll', 'graph', 'wages', 'economy', 'inflation', 'budget']],
  ['sport', ['stadium', 'pitch', 'match', 'cup', 'football', 'track', 'athletics', 'marathon', 'runners', 'race', 'sport', 'floodlights']],
  ['night', ['telescope', 'satellite', 'stars', 'space', 'orbit', 'night-sky', 'planet']],
  ['rain', ['rain', 'storm', 'typhoon', 'monsoon', 'flood', 'clouds']],
  ['desert', ['desert', 'border', 'crossing', 'road', 'wadi', 'gate', 'dunes', 'horizon']],
  ['sea', ['sea', 'port', 'harbour', 'harbor', 'ship', 'boat', 'coast', 'ferry', 'berth', 'container', 'beach', 'waterfront']],
  ['city', ['city', 'skyline', 'street', 'parliament', 'assembly', 'market', 'stalls', 'building', 'plant', 'square', 'museum', 'gallery']],
  ['pattern', ['pattern', 'weave', 'weaving', 'textile', 'book', 'novel', 'opinion', 'abstract', 'film', 'still']],
  ['landscape', ['valley', 'field', 'fields', 'hill', 'hills', 'farm', 'terrace', 'harvest', 'drought', 'dry', 'river', 'forest', 'mountain', 'grassland', 'solar', 'well']],
];

const ALL_SCENES: readonly Scene[] = ['landscape', 'city', 'sea', 'chart', 'pattern', 'desert', 'landscape', 'sea'];

/** FNV-1a, 32 bit. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, deterministic. */
function makeRand(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(r * items.length))] as T;
}

function between(rand: Rand, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

/** Rounds to at most one decimal, keeping the markup short. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}


/** "ondara-valley-fields" → "Ondara valley fields". */
function readableKey(key: string): string {
  const words = key.replace(/[-_./\\]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!words) return 'Illustration';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function sceneFor(key: string, rand: Rand): Scene {
  const k = key.toLowerCase();
  const tokens = new Set(k.split(/[^a-z0-9]+/).filter(Boolean));
  for (const [scene, words] of SCENE_KEYWORDS) {
    for (const w of words) {
      if (w.includes('-') ? k.includes(w) : tokens.has(w)) return scene;
    }
  }
  return pick(ALL_SCENES, rand());
}

function paletteFor(scene: Scene, key: string, rand: Rand): Palette {
  const k = key.toLowerCase();
  if (scene === 'night' || /\b(night|moon|evening)\b/.test(k.replace(/-/g, ' '))) {
    if (scene !== 'city' && scene !== 'sea') return PALETTES.night;
    return PALETTES.dusk;
  }
  if (scene === 'rain') return PALETTES.slate;
  if (/drought|dry|heat|hot/.test(k)) return PALETTES.ochre;
  if (scene === 'desert') return pick([PALETTES.ochre, PALETTES.ochre, PALETTES.dawn, PALETTES.dusk], rand());
  if (/forest|grass|green|meadow|terrace|fields|delta|park/.test(k)) return pick([PALETTES.teal, PALETTES.sage], rand());
  if (scene === 'sea') return pick([PALETTES.harbour, PALETTES.dawn, PALETTES.dusk, PALETTES.teal], rand());
  return PALETTES[pick(DAY_PALETTES, rand())];
}

/** A smooth ridge line across the canvas, closed to the bottom edge. */
function ridge(rand: Rand, baseY: number, amplitude: number, points: number): string {
  const step = CANVAS_W / (points - 1);
  const ys: number[] = [];
  for (let i = 0; i < points; i++) ys.push(baseY + between(rand, -amplitude, amplitude));
  let d = `M0 ${n(ys[0] ?? baseY)}`;
  for (let i = 1; i < points; i++) {
    const x0 = (i - 1) * step;
    const x1 = i * step;
    const y0 = ys[i - 1] ?? baseY;
    const y1 = ys[i] ?? baseY;
    d += `C${n(x0 + step / 2)} ${n(y0)} ${n(x1 - step / 2)} ${n(y1)} ${n(x1)} ${n(y1)}`;
  }
  return `${d}V${CANVAS_H}H0Z`;
}

interface Ctx {
  readonly key: string;
  readonly id: string;
  readonly rand: Rand;
  readonly p: Palette;
}

function skyGradient(c: Ctx): { defs: string; rect: string } {
  return {
    defs: `<linearGradient id="${c.id}s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${c.p.sky[0]}"/><stop offset="1" stop-color="${c.p.sky[1]}"/></linearGradient>`,
    rect: `<rect width="${CANVAS_W}" height="${CANVAS_H}" fill="url(#${c.id}s)"/>`,
  };
}

function clouds(c: Ctx, count: number, fill: string, opacity: number): string {
  let out = `<g fill="${fill}" opacity="${opacity}">`;
  for (let i = 0; i < count; i++) {
    const x = between(c.rand, 60, CANVAS_W - 160);
    const y = between(c.rand, 50, 230);
    const w = between(c.rand, 90, 190);
    out += `<ellipse cx="${n(x)}" cy="${n(y)}" rx="${n(w)}" ry="${n(w * 0.22)}"/><ellipse cx="${n(x + w * 0.25)}" cy="${n(y - w * 0.13)}" rx="${n(w * 0.45)}" ry="${n(w * 0.2)}"/>`;
  }
  return `${out}</g>`;
}

function sunOrMoon(c: Ctx, night: boolean): string {
  const x = between(c.rand, 180, CANVAS_W - 180);
  const y = between(c.rand, 90, 200);
  const r = between(c.rand, 38, 62);
  if (night) {
    return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${c.p.accent}"/><circle cx="${n(x + r * 0.42)}" cy="${n(y - r * 0.2)}" r="${n(r * 0.86)}" fill="${c.p.sky[0]}"/>`;
  }
  return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r * 1.7)}" fill="${c.p.accent}" opacity=".18"/><circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${c.p.accent}"/>`;
}

function stars(c: Ctx, count: number, maxY: number): string {
  let d = '';
  for (let i = 0; i < count; i++) d += `M${n(between(c.rand, 0, CANVAS_W))} ${n(between(c.rand, 0, maxY))}h0`;
  return `<path d="${d}" stroke="${c.p.light}" stroke-width="3" stroke-linecap="round" opacity=".8"/>`;
}

function landscape(c: Ctx, opts: { rain?: boolean } = {}): string {
  const k = c.key.toLowerCase();
  const night = c.p === PALETTES.night;
  const sky = skyGradient(c);
  let body = sky.rect;
  if (night) body += stars(c, 50, 330);
  if (opts.rain) body += clouds(c, 6, c.p.layers[1], 0.55);
  else {
    body += sunOrMoon(c, night);
    body += clouds(c, 2 + Math.floor(c.rand() * 3), c.p.light, night ? 0.12 : 0.6);
  }
  const layers = c.p.layers;
  body += `<path d="${ridge(c.rand, 330, 45, 6)}" fill="${layers[0]}"/>`;
  body += `<path d="${ridge(c.rand, 420, 40, 5)}" fill="${layers[1]}"/>`;
  body += `<path d="${ridge(c.rand, 520, 35, 5)}" fill="${layers[2]}" opacity=".96"/>`;
  if (/terrace|field|farm|harvest|solar/.test(k)) {
    let d = '';
    for (let i = 0; i < 6; i++) {
      const y = 560 + i * 20;
      d += `M0 ${y}C300 ${y - 18} 900 ${y + 18} ${CANVAS_W} ${y - 6}`;
    }
    body += `<path d="${d}" fill="none" stroke="${c.p.light}" stroke-width="2.5" opacity=".35"/>`;
  }
  body += `<path d="${ridge(c.rand, 620, 25, 4)}" fill="${layers[3]}"/>`;
  if (/river|basin/.test(k)) {
    // A river winding out of the middle distance towards the viewer.
    const x = between(c.rand, 480, 720);
    const s = /low|dry/.test(k) ? 0.4 : 1;
    const w0 = 10 * s;
    const w1 = 380 * s;
    body += `<path d="M${n(x)} 468C${n(x - 160)} 520 ${n(x + 220)} 590 ${n(x - 120)} ${CANVAS_H}h${n(w1)}C${n(x + 220 + w1 * 0.6)} 590 ${n(x - 160 + w0 * 3)} 520 ${n(x + w0)} 468Z" fill="#8fb9cc" opacity=".92"/>`;
    body += `<path d="M${n(x - 40)} 640c60-8 120 8 180 0M${n(x + 10)} 560c40-6 80 6 120 0" stroke="#e6f1f5" stroke-width="3" fill="none" opacity=".6"/>`;
  }
  if (opts.rain) {
    let d = '';
    for (let i = 0; i < 70; i++) d += `M${n(between(c.rand, 0, CANVAS_W + 120))} ${n(between(c.rand, 120, CANVAS_H))}l-18 46`;
    body += `<path d="${d}" stroke="${c.p.light}" stroke-width="2" stroke-linecap="round" opacity=".55"/>`;
  }
  return wrapDefs(sky.defs) + body;
}

function city(c: Ctx): string {
  const k = c.key.toLowerCase();
  const night = /night|evening|hot/.test(k);
  const sky = skyGradient(c);
  let body = sky.rect + sunOrMoon(c, night) + clouds(c, 2, c.p.light, 0.35);
  const rows: Array<[number, number, string]> = [
    [240, 410, c.p.layers[0]],
    [380, 540, c.p.layers[1]],
    [460, 610, c.p.layers[2]],
  ];
  let frontRow = '';
  for (const [minTop, maxTop, fill] of rows) {
    let d = '';
    let x = -between(c.rand, 0, 40);
    while (x < CANVAS_W) {
      const w = between(c.rand, 50, 120);
      const top = between(c.rand, minTop, maxTop);
      d += `M${n(x)} ${CANVAS_H}V${n(top)}h${n(w)}V${CANVAS_H}Z`;
      if (c.rand() < 0.18) d += `M${n(x + w / 2 - 3)} ${n(top)}v-${n(between(c.rand, 20, 50))}h6V${n(top)}Z`;
      x += w + between(c.rand, 4, 18);
    }
    body += `<path d="${d}" fill="${fill}"/>`;
    frontRow = d;
  }
  // Lit windows, clipped to the silhouette of the front row of buildings.
  const defs =
    `<pattern id="${c.id}w" width="28" height="34" patternUnits="userSpaceOnUse"><rect x="9" y="10" width="10" height="13" fill="${night ? c.p.accent : c.p.light}"/></pattern>` +
    `<clipPath id="${c.id}c"><path d="${frontRow}"/></clipPath>`;
  body += `<rect y="440" width="${CANVAS_W}" height="200" fill="url(#${c.id}w)" opacity="${night ? 0.8 : 0.45}" clip-path="url(#${c.id}c)"/>`;
  if (/parliament|assembly|square/.test(k)) {
    const x = between(c.rand, 360, 840);
    body += `<g fill="${c.p.layers[3]}"><path d="M${n(x - 150)} ${CANVAS_H}V520h300V${CANVAS_H}Z"/><path d="M${n(x - 170)} 522L${n(x)} 470L${n(x + 170)} 522Z"/><path d="M${n(x - 60)} 476A60 60 0 0 1 ${n(x + 60)} 476Z"/></g>`;
    let cols = '';
    for (let i = 0; i < 7; i++) cols += `M${n(x - 126 + i * 42)} 540v100`;
    body += `<path d="${cols}" stroke="${c.p.light}" stroke-width="9" opacity=".45"/>`;
  }
  body += `<rect y="640" width="${CANVAS_W}" height="35" fill="${c.p.layers[3]}"/>`;
  if (/market|stalls/.test(k)) {
    for (let x = 20; x < CANVAS_W; x += 130) {
      const col = pick([c.p.accent, c.p.light, c.p.layers[0]], c.rand());
      body += `<path d="M${x} 600h110l-12 28h-86Z" fill="${col}"/><path d="M${x + 8} 628v12M${x + 102} 628v12" stroke="${c.p.ink}" stroke-width="4"/>`;
    }
  }
  return wrapDefs(sky.defs + defs) + body;
}

function sea(c: Ctx): string {
  const k = c.key.toLowerCase();
  const night = /night|evening/.test(k);
  const sky = skyGradient(c);
  const horizon = between(c.rand, 360, 420);
  const seaDefs = `<linearGradient id="${c.id}o" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${c.p.layers[1]}"/><stop offset="1" stop-color="${c.p.layers[3]}"/></linearGradient>`;
  const sunX = between(c.rand, 220, 980);
  let body = sky.rect + clouds(c, 3, c.p.light, 0.45);
  body += `<circle cx="${n(sunX)}" cy="${n(horizon - 90)}" r="48" fill="${c.p.accent}"/>`;
  body += `<path d="${ridge(c.rand, horizon - 30, 22, 4).replace(/V675H0Z$/, `V${n(horizon)}H0Z`)}" fill="${c.p.layers[2]}" opacity=".7"/>`;
  body += `<rect y="${n(horizon)}" width="${CANVAS_W}" height="${n(CANVAS_H - horizon)}" fill="url(#${c.id}o)"/>`;
  body += `<path d="M${n(sunX - 60)} ${n(horizon + 6)}h120M${n(sunX - 40)} ${n(horizon + 22)}h80M${n(sunX - 25)} ${n(horizon + 40)}h50" stroke="${c.p.accent}" stroke-width="5" stroke-linecap="round" opacity=".6"/>`;
  let waves = '';
  for (let i = 0; i < 14; i++) {
    const y = between(c.rand, horizon + 30, CANVAS_H - 10);
    const x = between(c.rand, -40, CANVAS_W - 100);
    const w = between(c.rand, 60, 160);
    waves += `M${n(x)} ${n(y)}q${n(w / 4)} -10 ${n(w / 2)} 0t${n(w / 2)} 0`;
  }
  body += `<path d="${waves}" fill="none" stroke="${c.p.light}" stroke-width="3" stroke-linecap="round" opacity=".45"/>`;
  if (/port|berth|container|harbour|harbor/.test(k)) {
    const quay = horizon + 40;
    body += `<rect y="${n(quay)}" width="${CANVAS_W}" height="26" fill="${c.p.ink}" opacity=".85"/>`;
    const colors = [c.p.accent, c.p.layers[0], '#c8553d', '#3d7ea6', c.p.light];
    let boxes = '';
    for (let s = 0; s < 5; s++) {
      const bx = 80 + s * 210 + between(c.rand, 0, 40);
      const levels = 2 + Math.floor(c.rand() * 3);
      for (let l = 0; l < levels; l++) {
        boxes += `<rect x="${n(bx)}" y="${n(quay - 26 * (l + 1))}" width="74" height="24" fill="${pick(colors, c.rand())}"/><rect x="${n(bx + 78)}" y="${n(quay - 26 * (l + 1))}" width="74" height="24" fill="${pick(colors, c.rand())}"/>`;
      }
    }
    body += boxes;
    let cranes = '';
    for (let i = 0; i < 3; i++) {
      const cx = 180 + i * 360 + between(c.rand, -30, 30);
      cranes += `M${n(cx)} ${n(quay)}V${n(quay - 230)}M${n(cx + 70)} ${n(quay)}V${n(quay - 230)}M${n(cx - 110)} ${n(quay - 220)}H${n(cx + 190)}M${n(cx)} ${n(quay - 150)}L${n(cx + 70)} ${n(quay - 210)}`;
    }
    body += `<path d="${cranes}" stroke="${c.p.ink}" stroke-width="8" fill="none" opacity=".9"/>`;
  } else {
    const bx = between(c.rand, 260, 860);
    const by = between(c.rand, horizon + 70, horizon + 140);
    body += `<path d="M${n(bx - 90)} ${n(by)}h180l-30 34h-120Z" fill="${c.p.ink}"/><path d="M${n(bx - 4)} ${n(by - 6)}V${n(by - 150)}L${n(bx + 80)} ${n(by - 10)}Z" fill="${c.p.light}"/><path d="M${n(bx - 12)} ${n(by - 10)}V${n(by - 120)}L${n(bx - 70)} ${n(by - 12)}Z" fill="${c.p.accent}" opacity=".9"/>`;
  }
  if (night) body += `<rect width="${CANVAS_W}" height="${CANVAS_H}" fill="${PALETTES.night.sky[0]}" opacity=".25"/>`;
  return wrapDefs(sky.defs + seaDefs) + body;
}

function chart(c: Ctx): string {
  const k = c.key.toLowerCase();
  const falling = /fall|low|drop|down|ease|cut/.test(k);
  const bg = c.p.light;
  let body = `<rect width="${CANVAS_W}" height="${CANVAS_H}" fill="${bg}"/>`;
  body += `<rect x="0" y="0" width="${CANVAS_W}" height="${CANVAS_H}" fill="${c.p.sky[0]}" opacity=".35"/>`;
  let grid = '';
  for (let y = 140; y <= 560; y += 70) grid += `M120 ${y}H1100`;
  body += `<path d="${grid}" stroke="${c.p.ink}" stroke-width="1.5" opacity=".15"/>`;
  body += `<path d="M120 100V560H1100" stroke="${c.p.ink}" stroke-width="3" fill="none" opacity=".6"/>`;
  const count = 12;
  const values: number[] = [];
  let v = falling ? between(c.rand, 0.65, 0.85) : between(c.rand, 0.2, 0.4);
  for (let i = 0; i < count; i++) {
    v += (falling ? -1 : 1) * between(c.rand, -0.03, 0.09);
    v = Math.max(0.08, Math.min(0.95, v));
    values.push(v);
  }
  const step = 960 / count;
  let bars = '';
  values.forEach((val, i) => {
    const h = val * 380;
    bars += `M${n(135 + i * step)} 560v-${n(h * 0.7)}h${n(step * 0.55)}v${n(h * 0.7)}Z`;
  });
  body += `<path d="${bars}" fill="${c.p.layers[0]}" opacity=".75"/>`;
  const pts = values.map((val, i) => `${n(135 + i * step + step * 0.27)} ${n(560 - val * 420)}`);
  body += `<path d="M${pts.join('L')}L${n(135 + (count - 1) * step + step * 0.27)} 560H${n(135 + step * 0.27)}Z" fill="${c.p.layers[2]}" opacity=".18"/>`;
  body += `<path d="M${pts.join('L')}" fill="none" stroke="${c.p.layers[3]}" stroke-width="6" stroke-linejoin="round" stroke-linecap="round"/>`;
  const last = pts[pts.length - 1] ?? '0 0';
  const [lx, ly] = last.split(' ');
  body += `<circle cx="${lx}" cy="${ly}" r="12" fill="${c.p.accent}" stroke="${bg}" stroke-width="4"/>`;
  let ticks = '';
  for (let i = 0; i < count; i++) ticks += `M${n(135 + i * step + step * 0.27)} 560v12`;
  body += `<path d="${ticks}" stroke="${c.p.ink}" stroke-width="2" opacity=".4"/>`;
  body += `<rect x="120" y="600" width="${n(between(c.rand, 180, 320))}" height="14" rx="7" fill="${c.p.ink}" opacity=".25"/>`;
  body += `<rect x="120" y="40" width="${n(between(c.rand, 260, 460))}" height="22" rx="11" fill="${c.p.ink}" opacity=".55"/>`;
  return body;
}

function sport(c: Ctx): string {
  const k = c.key.toLowerCase();
  const track = /track|athletics|marathon|runners|race/.test(k);
  const grass = ['#4f8a4b', '#5b9a55'];
  let body = `<rect width="${CANVAS_W}" height="${CANVAS_H}" fill="${c.p.layers[3]}"/>`;
  // Stands: rows of tiny dots for the crowd.
  let crowd = '';
  const crowdColors = [c.p.accent, c.p.light, c.p.layers[0]];
  for (let i = 0; i < 3; i++) {
    let d = '';
    for (let j = 0; j < 60; j++) d += `M${n(between(c.rand, 0, CANVAS_W))} ${n(between(c.rand, 8, 58))}h0`;
    crowd += `<path d="${d}" stroke="${crowdColors[i]}" stroke-width="7" stroke-linecap="round" opacity=".7"/>`;
  }
  body += crowd;
  if (track) {
    body += `<rect x="40" y="80" width="1120" height="560" rx="280" fill="#c2583a"/>`;
    let lanes = '';
    for (let i = 0; i < 6; i++) {
      const inset = 16 + i * 18;
      lanes += `<rect x="${40 + inset}" y="${80 + inset}" width="${1120 - 2 * inset}" height="${560 - 2 * inset}" rx="${280 - inset}" fill="none" stroke="#fff" stroke-width="2.5" opacity=".8"/>`;
    }
    body += lanes;
    body += `<rect x="166" y="206" width="868" height="308" rx="154" fill="${grass[0]}"/>`;
    body += `<path d="M600 80v126" stroke="#fff" stroke-width="5"/>`;
  } else {
    body += `<rect x="60" y="80" width="1080" height="560" fill="${grass[0]}"/>`;
    let stripes = '';
    for (let i = 0; i < 12; i += 2) stripes += `M${60 + i * 90} 80h90v560h-90Z`;
    body += `<path d="${stripes}" fill="${grass[1]}"/>`;
    body += `<g fill="none" stroke="#fff" stroke-width="4" opacity=".9"><rect x="100" y="110" width="1000" height="500"/><path d="M600 110v500"/><circle cx="600" cy="360" r="80"/><rect x="100" y="230" width="150" height="260"/><rect x="950" y="230" width="150" height="260"/><rect x="100" y="300" width="55" height="120"/><rect x="1045" y="300" width="55" height="120"/></g>`;
    body += `<circle cx="${n(between(c.rand, 300, 900))}" cy="${n(between(c.rand, 200, 520))}" r="11" fill="#fff" stroke="${c.p.ink}" stroke-width="3"/>`;
  }
  if (/floodlights|stadium|night/.test(k)) {
    body += `<g fill="${c.p.accent}" opacity=".9"><circle cx="40" cy="40" r="26"/><circle cx="1160" cy="40" r="26"/><circle cx="40" cy="635" r="26"/><circle cx="1160" cy="635" r="26"/></g>`;
  }
  return body;
}

function nightSky(c: Ctx): string {
  const k = c.key.toLowerCase();
  const sky = skyGradient(c);
  let body = sky.rect + stars(c, 110, 470);
  body += sunOrMoon(c, true);
  body += `<path d="${ridge(c.rand, 500, 50, 5)}" fill="${c.p.layers[1]}"/>`;
  if (/telescope|observatory/.test(k)) {
    const x = between(c.rand, 380, 820);
    body += `<path d="M${n(x - 150)} 470C${n(x - 60)} 430 ${n(x + 60)} 430 ${n(x + 150)} 470Z" fill="${c.p.layers[1]}"/>`;
    body += `<path d="M${n(x - 70)} 450V395A70 70 0 0 1 ${n(x + 70)} 395V450Z" fill="${c.p.light}"/><path d="M${n(x - 8)} 327V400h16V327Z" fill="${c.p.ink}"/>`;
    body += `<path d="M${n(x)} 330L${n(x + 260)} 40L${n(x + 420)} 60L${n(x + 20)} 330Z" fill="${c.p.accent}" opacity=".1"/>`;
  }
  if (/satellite|orbit/.test(k)) {
    const x = between(c.rand, 380, 820);
    const y = between(c.rand, 180, 260);
    body += `<ellipse cx="600" cy="${n(y + 40)}" rx="520" ry="120" fill="none" stroke="${c.p.light}" stroke-width="2" stroke-dasharray="6 12" opacity=".5"/>`;
    body += `<g transform="translate(${n(x)} ${n(y)}) rotate(-18)"><rect x="-28" y="-22" width="56" height="44" rx="4" fill="${c.p.light}"/><rect x="-150" y="-16" width="110" height="32" fill="#3d6fa8" stroke="${c.p.light}" stroke-width="3"/><rect x="40" y="-16" width="110" height="32" fill="#3d6fa8" stroke="${c.p.light}" stroke-width="3"/><path d="M0 22v26" stroke="${c.p.light}" stroke-width="4"/><circle cx="0" cy="52" r="6" fill="${c.p.accent}"/></g>`;
  }
  body += `<path d="${ridge(c.rand, 600, 30, 4)}" fill="${c.p.layers[3]}"/>`;
  return wrapDefs(sky.defs) + body;
}

function desert(c: Ctx): string {
  const k = c.key.toLowerCase();
  const dusk = /dusk|evening/.test(k);
  const p = dusk ? PALETTES.dusk : c.p;
  const cx: Ctx = { ...c, p };
  const sky = skyGradient(cx);
  let body = sky.rect + sunOrMoon(cx, false);
  const horizon = 400;
  body += `<path d="${ridge(c.rand, horizon - 20, 25, 6)}" fill="${p.layers[0]}"/>`;
  body += `<path d="${ridge(c.rand, horizon + 60, 40, 4)}" fill="${p.layers[1]}"/>`;
  body += `<path d="${ridge(c.rand, horizon + 170, 45, 4)}" fill="${p.layers[2]}"/>`;
  const vx = between(c.rand, 500, 700);
  body += `<path d="M${n(vx - 6)} ${horizon}h12L${n(vx + 330)} ${CANVAS_H}H${n(vx - 330)}Z" fill="${p.ink}" opacity=".78"/>`;
  let dashes = '';
  for (let i = 0; i < 7; i++) {
    const t0 = (i + 0.2) / 7;
    const t1 = (i + 0.55) / 7;
    const y0 = horizon + (CANVAS_H - horizon) * t0 * t0;
    const y1 = horizon + (CANVAS_H - horizon) * t1 * t1;
    dashes += `M${n(vx)} ${n(y0)}V${n(y1)}`;
  }
  body += `<path d="${dashes}" stroke="${p.light}" stroke-width="5" opacity=".8"/>`;
  if (/border|crossing|gate|checkpoint/.test(k)) {
    const gy = horizon + 110;
    const half = 18 + 330 * ((gy - horizon) / (CANVAS_H - horizon));
    body += `<g fill="${p.ink}"><rect x="${n(vx - half - 40)}" y="${n(gy - 120)}" width="16" height="120"/><rect x="${n(vx + half + 24)}" y="${n(gy - 120)}" width="16" height="120"/><rect x="${n(vx - half - 70)}" y="${n(gy - 140)}" width="${n(2 * half + 140)}" height="22"/></g>`;
    body += `<rect x="${n(vx - half - 24)}" y="${n(gy - 56)}" width="${n(2 * half + 48)}" height="12" fill="${p.light}" stroke="#c8553d" stroke-width="4" stroke-dasharray="24 24"/>`;
  }
  body += `<path d="${ridge(c.rand, 640, 12, 4)}" fill="${p.layers[3]}" opacity=".9"/>`;
  return wrapDefs(sky.defs) + body;
}

function pattern(c: Ctx): string {
  const k = c.key.toLowerCase();
  const size = 150;
  const colors = [c.p.layers[0], c.p.layers[1], c.p.layers[2], c.p.layers[3], c.p.accent];
  let body = `<rect width="${CANVAS_W}" height="${CANVAS_H}" fill="${c.p.light}"/>`;
  if (/weav|textile/.test(k)) {
    // Woven bands with diamond motifs.
    for (let y = 0; y < CANVAS_H; y += 75) {
      const col = pick(colors, c.rand());
      body += `<rect y="${y}" width="${CANVAS_W}" height="75" fill="${col}"/>`;
      if (c.rand() < 0.6) {
        const motif = pick(colors, c.rand());
        let d = '';
        for (let x = 37; x < CANVAS_W; x += 75) d += `M${x} ${y + 10}l27 27-27 27-27-27Z`;
        body += `<path d="${d}" fill="${motif === col ? c.p.light : motif}" opacity=".9"/>`;
      } else {
        body += `<path d="M0 ${y + 37}H${CANVAS_W}" stroke="${c.p.light}" stroke-width="6" stroke-dasharray="18 12"/>`;
      }
    }
    return body;
  }
  for (let y = 0; y < CANVAS_H; y += size) {
    for (let x = 0; x < CANVAS_W; x += size) {
      const bg = pick(colors, c.rand());
      let fg = pick(colors, c.rand());
      if (fg === bg) fg = c.p.light;
      const shape = Math.floor(c.rand() * 5);
      const rot = Math.floor(c.rand() * 4) * 90;
      let inner = '';
      if (shape === 0) inner = `<circle cx="75" cy="75" r="52" fill="${fg}"/>`;
      else if (shape === 1) inner = `<path d="M0 0H150L0 150Z" fill="${fg}"/>`;
      else if (shape === 2) inner = `<path d="M0 0A150 150 0 0 1 150 150H0Z" fill="${fg}"/>`;
      else if (shape === 3) inner = `<path d="M0 75H150M75 0V150" stroke="${fg}" stroke-width="22"/>`;
      else inner = `<path d="M0 150A75 75 0 0 1 150 150Z" fill="${fg}"/>`;
      body += `<g transform="translate(${x} ${y})${rot ? ` rotate(${rot} 75 75)` : ''}"><rect width="${size}" height="${size}" fill="${bg}"/>${inner}</g>`;
    }
  }
  return body;
}

function wrapDefs(defs: string): string {
  return defs ? `<defs>${defs}</defs>` : '';
}

function dimension(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return fallback;
  return Math.max(1, Math.min(8000, Math.round(value)));
}

/** Renders the demo picture named `key` as a standalone SVG document (width×height). Deterministic for a key. */
export function demoImageSvg(key: string, width?: number, height?: number): string {
  const w = dimension(width, CANVAS_W);
  const h = dimension(height, CANVAS_H);
  const seed = hashString(key);
  const rand = makeRand(seed);
  const scene = sceneFor(key, rand);
  const p = paletteFor(scene, key, rand);
  const id = `d${seed.toString(36)}`;
  const c: Ctx = { key, id, rand, p };
  let content: string;
  switch (scene) {
    case 'landscape':
      content = landscape(c);
      break;
    case 'rain':
      content = landscape(c, { rain: true });
      break;
    case 'city':
      content = city(c);
      break;
    case 'sea':
      content = sea(c);
      break;
    case 'chart':
      content = chart(c);
      break;
    case 'sport':
      content = sport(c);
      break;
    case 'night':
      content = nightSky(c);
      break;
    case 'desert':
      content = desert(c);
      break;
    default:
      content = pattern(c);
  }
  const title = escapeXml(readableKey(key));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${CANVAS_W} ${CANVAS_H}" preserveAspectRatio="xMidYMid slice" role="img" aria-labelledby="${id}t">` +
    `<title id="${id}t">${title}</title>${content}</svg>`
  );
}

const PORTRAIT_COLORS = ['#2a6f97', '#8c4f7d', '#b5543c', '#3d7a5b', '#6b5b95', '#a36a1f', '#3b6e8f', '#7a3b3b', '#4b7f52', '#915c83'];

/** Up to two initials: first letter of the first and of the last word. */
function initialsOf(name: string): string {
  const words = name
    .split(/[\s\-‐–—_.,]+/u)
    .map((word) => Array.from(word).find((ch) => /\p{L}|\p{N}/u.test(ch)))
    .filter((ch): ch is string => ch !== undefined);
  if (words.length === 0) return '?';
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  return (first + last).toUpperCase();
}

/** Renders an author portrait placeholder: initials on a colored disc background, deterministic per name. */
export function authorPortraitSvg(name: string, size?: number): string {
  const s = dimension(size, 400);
  const seed = hashString(name.trim().toLowerCase());
  const color = pick(PORTRAIT_COLORS, (seed % 1000) / 1000);
  const id = `a${seed.toString(36)}`;
  const initials = escapeXml(initialsOf(name));
  const title = escapeXml(name.trim() || 'Author');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 100 100" role="img" aria-labelledby="${id}t">` +
    `<title id="${id}t">${title}</title>` +
    `<defs><linearGradient id="${id}g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fff" stop-opacity=".18"/><stop offset="1" stop-color="#000" stop-opacity=".12"/></linearGradient></defs>` +
    `<circle cx="50" cy="50" r="50" fill="${color}"/><circle cx="50" cy="50" r="50" fill="url(#${id}g)"/>` +
    `<circle cx="50" cy="50" r="44" fill="none" stroke="#fff" stroke-opacity=".25" stroke-width="1.2"/>` +
    `<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" font-size="${initials.length > 2 ? 30 : 36}" font-weight="600" letter-spacing="1">${initials}</text>` +
    `</svg>`
  );
}
