/**
 * "Most read": the stories with the most readers in the last 24 hours, most
 * first. Part of the cached page (the same for every reader), so it is as
 * fresh as the page itself.
 */
import type { ArticleSummary } from '../content.model.js';

export function MostRead({ articles, exclude }: { articles: ArticleSummary[] | undefined; exclude?: number }) {
  const shown = (articles ?? []).filter((a) => a.id !== exclude);
  if (!shown.length) return null;
  return (
    <section class="most-read" aria-labelledby="most-read-heading" data-most-read="">
      <h2 id="most-read-heading" class="block-heading">
        Most read
      </h2>
      <ol class="most-read__list" role="list">
        {shown.map((a, i) => (
          <li class="most-read__item">
            <span class="most-read__rank" aria-hidden="true">
              {i + 1}
            </span>
            <a class="most-read__link" href={a.path}>
              {a.headline}
            </a>
            <span class="most-read__section">{a.section.name}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
