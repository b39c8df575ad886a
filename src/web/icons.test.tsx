import fs from 'node:fs';
import path from 'node:path';
import { renderToString } from 'preact-render-to-string';
import { projectRoot } from '../platform/paths.js';
import { describe, expect, it } from 'vitest';
import { ICON_NAMES, Icon, IconSprite, iconCssUrl, iconsUsedIn } from './icons.js';
import { renderDocument, withIconSprite } from './render.js';

describe('icons', () => {
  it('draws an icon as a reference to its symbol, hidden from assistive technology unless it is given a name', () => {
    expect(renderToString(<Icon name="clock" size={14} />)).toBe('<svg class="icon" width="14" height="14" aria-hidden="true"><use href="#i-clock"></use></svg>');
    const named = renderToString(<Icon name="star" label="Saved" />);
    expect(named).toContain('role="img"');
    expect(named).toContain('aria-label="Saved"');
    expect(named).not.toContain('aria-hidden');
    expect(renderToString(<Icon name="no-such-icon" />)).toContain('href="#i-news"');
  });

  it('has a symbol for every icon, each with its own drawing', () => {
    const sprite = renderToString(<IconSprite names={ICON_NAMES} />);
    expect(sprite).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" hidden aria-hidden="true">/);
    for (const name of ICON_NAMES) expect(sprite.split(`<symbol id="i-${name}" viewBox="0 0 24 24">`)).toHaveLength(2);
    expect(renderToString(<IconSprite names={['nope']} />)).toBe('');
  });

  it('puts the symbols a page uses once at the end of its body, and none on a page without icons', () => {
    const page = renderDocument(
      <html>
        <body>
          <a href="#main">Skip</a>
          <Icon name="clock" />
          <Icon name="clock" />
          <Icon name="star" />
        </body>
      </html>,
    );
    expect(page).toMatch(/^<!doctype html><html><body><a href="#main">Skip<\/a>/);
    expect(iconsUsedIn(page)).toEqual(['clock', 'star']);
    expect(page.split('<symbol id="i-clock"')).toHaveLength(2);
    expect(page.split('<symbol id="i-star"')).toHaveLength(2);
    expect(page).not.toContain('<symbol id="i-globe"');
    expect(page).toMatch(/<\/symbol><\/svg><\/body><\/html>$/);
    expect(withIconSprite('<html><body><p>No icons</p></body></html>')).toBe('<html><body><p>No icons</p></body></html>');
  });

  it('draws the story cards\' icons in the stylesheet from the same shapes as the sprite', () => {
    const css = fs.readFileSync(path.join(projectRoot, 'src/web/styles.css'), 'utf8');
    // The last rule for each selector: the first is the group that draws them all.
    const rule = (selector: string) => {
      const at = css.lastIndexOf(`\n${selector} {`);
      return css.slice(at, css.indexOf('}', at));
    };
    expect(rule('.story-card__meta::before')).toContain(`--icon: ${iconCssUrl('clock')};`);
    expect(rule('.comment-count--card::before')).toContain(`--icon: ${iconCssUrl('comment')};`);
    expect(rule('.favorite-button--icon::before')).toContain(`--icon: ${iconCssUrl('star')};`);
    expect(rule(".favorite-button--icon[aria-pressed='true']::before")).toContain(`--icon: ${iconCssUrl('star', true)};`);
  });
});
