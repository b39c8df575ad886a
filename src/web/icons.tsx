/**
 * Small SVG icons, drawn on a 24×24 grid with round strokes in currentColor
 * so they follow the text colour and the theme, shipped as a sprite: each page
 * carries one <symbol> per icon it uses, and every icon is a <use> of it.
 */
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';

const PATHS: Record<string, ComponentChildren> = {
  globe: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18" />
      <path d="M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z" />
    </>
  ),
  landmark: (
    <>
      <path d="M3 9.5 12 4l9 5.5" />
      <path d="M4.5 9.5h15" />
      <path d="M6.5 12v6M10 12v6M14 12v6M17.5 12v6" />
      <path d="M3.5 20.5h17" />
    </>
  ),
  chart: (
    <>
      <path d="M3.5 3.5v17h17" />
      <path d="m7 15 4-4.5 3 3 5.5-6.5" />
      <path d="M15.5 7h4v4" />
    </>
  ),
  flask: (
    <>
      <path d="M9.5 3.5h5" />
      <path d="M10.5 3.5v6L5 19a1.2 1.2 0 0 0 1 1.5h12a1.2 1.2 0 0 0 1-1.5l-5.5-9.5v-6" />
      <path d="M7.5 15h9" />
    </>
  ),
  palette: (
    <>
      <path d="M12 3.5a8.5 8.5 0 1 0 0 17c1.2 0 1.8-.8 1.8-1.7 0-1.2-1-1.6-1-2.6 0-1 .8-1.7 1.9-1.7h2.1a3.7 3.7 0 0 0 3.7-3.7C20.5 6.9 16.7 3.5 12 3.5z" />
      <circle cx="7.8" cy="11" r="1.1" />
      <circle cx="10.5" cy="7.3" r="1.1" />
      <circle cx="15" cy="7.6" r="1.1" />
    </>
  ),
  trophy: (
    <>
      <path d="M7.5 4h9v5a4.5 4.5 0 0 1-9 0V4z" />
      <path d="M7.5 6H4.5v1.5a3 3 0 0 0 3 3M16.5 6h3v1.5a3 3 0 0 1-3 3" />
      <path d="M12 13.5V17" />
      <path d="M8.5 20.5h7l-.8-3.5H9.3z" />
    </>
  ),
  quote: (
    <>
      <path d="M10 6.5c-3 1-5 3.6-5 7v3.5h4.5v-4.5H6.8" />
      <path d="M19 6.5c-3 1-5 3.6-5 7v3.5h4.5v-4.5h-2.7" />
    </>
  ),
  news: (
    <>
      <path d="M4 5.5h13v13a1.5 1.5 0 0 0 1.5 1.5H5.5A1.5 1.5 0 0 1 4 18.5z" />
      <path d="M17 9h3v9.5a1.5 1.5 0 0 1-3 0" />
      <path d="M7 9h7M7 12.5h7M7 16h4.5" />
    </>
  ),
  star: <path d="m12 3.5 2.6 5.4 5.9.8-4.3 4.1 1.1 5.8L12 16.8l-5.3 2.8 1.1-5.8-4.3-4.1 5.9-.8z" />,
  comment: <path d="M4.5 5.5h15a1 1 0 0 1 1 1V16a1 1 0 0 1-1 1H11l-4.5 3.5V17h-2a1 1 0 0 1-1-1V6.5a1 1 0 0 1 1-1z" />,
  clock: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M12 7.5V12l3 2" />
    </>
  ),
  search: (
    <>
      <circle cx="10.5" cy="10.5" r="6" />
      <path d="m15 15 5 5" />
    </>
  ),
  feed: (
    <>
      <path d="M5 11a8 8 0 0 1 8 8" />
      <path d="M5 5a14 14 0 0 1 14 14" />
      <circle cx="6" cy="18" r="1" />
    </>
  ),
};

export const ICON_NAMES = Object.keys(PATHS);

/** The id of an icon's `<symbol>` in the page's sprite. */
export const iconId = (name: string): string => `i-${name}`;

function known(name: string): string {
  return PATHS[name] ? name : 'news';
}

/**
 * One icon: a reference to its symbol in the page's sprite, which
 * `renderDocument` puts once at the end of <body> (only the icons the page
 * uses), so a page with forty story cards carries each drawing once, not
 * forty times. Decorative by default (the text beside it says what it means);
 * with `label` it is an image with that accessible name.
 */
export function Icon({ name, size = 18, label }: { name: string; size?: number; label?: string }) {
  const href = `#${iconId(known(name))}`;
  if (label) {
    return (
      <svg class="icon" width={size} height={size} role="img" aria-label={label}>
        <use href={href} />
      </svg>
    );
  }
  return (
    <svg class="icon" width={size} height={size} aria-hidden="true">
      <use href={href} />
    </svg>
  );
}

/**
 * The stroke style is on each symbol's group, so the icons draw the same
 * without the stylesheet. The star leaves its fill to the outer <svg>
 * (styles.css: none, or currentColor on a pressed favorite button), since a
 * fill set inside the symbol could not be changed from the page.
 */
const STROKE = { stroke: 'currentColor', 'stroke-width': '1.75', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const;
const FILLABLE = new Set(['star']);

function IconSymbol({ name }: { name: string }) {
  return (
    <symbol id={iconId(name)} viewBox="0 0 24 24">
      <g {...STROKE} fill={FILLABLE.has(name) ? undefined : 'none'}>
        {PATHS[name]}
      </g>
    </symbol>
  );
}

/** The sprite with the given icons' symbols (unknown names are skipped), hidden from view and from assistive technology. */
export function IconSprite({ names }: { names: Iterable<string> }) {
  const list = [...new Set(names)].filter((n) => PATHS[n]);
  if (!list.length) return null;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" hidden aria-hidden="true">
      {list.map((name) => (
        <IconSymbol name={name} />
      ))}
    </svg>
  );
}

/**
 * An icon as a CSS image (`url("data:image/svg+xml,…")`), for the few icons the
 * stylesheet draws itself as a mask in currentColor, because a page repeats
 * them on every story card (styles.css; icons.test.tsx keeps the two in step).
 * `filled` fills the shape too (a pressed favorite's star).
 */
export function iconCssUrl(name: string, filled = false): string {
  const shape = renderToString(<>{PATHS[known(name)]}</>);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="${filled ? '#000' : 'none'}" stroke="#000" ` +
    `stroke-width="1.75" stroke-linecap="round" stroke-linejoin="round">${shape}</svg>`;
  return `url("data:image/svg+xml,${svg.replace(/"/g, "'").replace(/[<>#%]/g, encodeURIComponent)}")`;
}

const ICON_REF = /<use href="#i-([a-z]+)"/g;

/** The icons a rendered page refers to, in order of first use. */
export function iconsUsedIn(html: string): string[] {
  const names = new Set<string>();
  for (const m of html.matchAll(ICON_REF)) names.add(m[1]!);
  return [...names];
}
