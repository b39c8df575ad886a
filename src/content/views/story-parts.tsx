/**
 * The pieces a story is shown with on the public pages: section label,
 * byline, comment count, story cards, the favorites button and the
 * special-coverage banner. Pure functions of their props: no I/O, nothing
 * personal (every reader gets the same HTML).
 */
import type { ComponentChildren } from 'preact';
import { paths } from '../content.model.js';
import type { ArticleSummary, AuthorRef, SectionRef, SpecialCoverage } from '../content.model.js';
import { Icon } from '../../web/icons.js';
import { RelTime } from '../../web/components.js';

type HeadingLevel = 2 | 3 | 4;

function Heading({ level, class: className, id, children }: { level: HeadingLevel; class?: string; id?: string; children: ComponentChildren }) {
  const Tag = `h${level}` as 'h2';
  return (
    <Tag class={className} id={id}>
      {children}
    </Tag>
  );
}

/** The section's colour tone class, keyed by its icon (globe, landmark, …). */
export function toneClass(section: Pick<SectionRef, 'icon'>): string {
  return `tone-${/^[a-z]+$/.test(section.icon) ? section.icon : 'news'}`;
}

export function SectionLabel({ section }: { section: SectionRef }) {
  return (
    <a class={`section-label ${toneClass(section)}`} href={section.path}>
      <Icon name={section.icon} size={14} />
      <span>{section.name}</span>
    </a>
  );
}

function joinNames(nodes: ComponentChildren[]): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  nodes.forEach((node, i) => {
    if (i > 0) out.push(i === nodes.length - 1 ? ' and ' : ', ');
    out.push(node);
  });
  return out;
}

/** "By Amina Diallo and Tom Reyes, Staff, Agencies"; nothing when there is no one to credit. */
export function Byline({ authors, creditLine }: { authors: AuthorRef[]; creditLine: string | null }) {
  const credit = creditLine?.trim() || '';
  if (authors.length === 0 && !credit) return null;
  const names = joinNames(
    authors.map((a) => (
      <a href={a.path} rel="author">
        {a.name}
      </a>
    )),
  );
  return (
    <p class="byline">
      {'By '}
      {names}
      {authors.length > 0 && credit ? ', ' : ''}
      {credit}
    </p>
  );
}

export function commentLabel(n: number): string {
  return n === 1 ? '1 comment' : `${n} comments`;
}

/**
 * Link to the discussion: visually the icon and the number, for assistive technology "N comments".
 * On a story card the stylesheet draws the icon (`comment-count--card`), as cards repeat by the dozen.
 */
export function CommentCount({ article, card = false }: { article: Pick<ArticleSummary, 'path' | 'commentCount'>; card?: boolean }) {
  const n = article.commentCount;
  return (
    <a class={card ? 'comment-count comment-count--card' : 'comment-count'} href={`${article.path}#comments`}>
      {card ? null : <Icon name="comment" size={15} />}
      <span aria-hidden="true">{n}</span>
      <span class="visually-hidden">{commentLabel(n)}</span>
    </a>
  );
}

export type CardVariant = 'lead' | 'standard' | 'compact';

/**
 * How wide each kind of card shows its image (styles.css), so the browser
 * fetches the smallest library variant that fills it: a lead fills two thirds
 * of the page from 64rem (the page is at most 80rem); standard cards share a
 * row with others (in section blocks from 64rem, about 27rem); compact cards
 * show a 6.5rem thumbnail.
 */
export const CARD_IMAGE_SIZES: Record<CardVariant, string> = {
  lead: '(min-width: 80rem) 52rem, (min-width: 64rem) 66vw, 100vw',
  standard: '(min-width: 64rem) 27rem, (min-width: 40rem) 50vw, 100vw',
  compact: '6.5rem',
};

export function StoryCard({
  article,
  now,
  variant,
  headingLevel = 3,
  showSection = true,
}: {
  article: ArticleSummary;
  now: Date;
  variant: CardVariant;
  headingLevel?: HeadingLevel;
  /** Hide the section label where the surrounding block already names the section. */
  showSection?: boolean;
}) {
  const hero = article.hero;
  return (
    <article class={`story-card story-card--${variant} ${toneClass(article.section)}${hero ? ' has-image' : ''}`}>
      {hero ? (
        <a class="story-card__media" href={article.path} tabIndex={-1} aria-hidden="true">
          <img
            src={hero.url}
            srcset={hero.srcset}
            sizes={hero.srcset ? CARD_IMAGE_SIZES[variant] : undefined}
            alt={hero.alt}
            width={hero.width ?? 1200}
            height={hero.height ?? 675}
            loading={variant === 'lead' ? undefined : 'lazy'}
            fetchpriority={variant === 'lead' ? 'high' : undefined}
            decoding="async"
          />
        </a>
      ) : null}
      <div class="story-card__body">
        {showSection ? <SectionLabel section={article.section} /> : null}
        {article.live ? <span class="live-marker live-marker--card">Live</span> : null}
        <Heading level={headingLevel} class="story-card__headline">
          <a href={article.path}>{article.headline}</a>
        </Heading>
        {variant !== 'compact' && article.standfirst ? <p class="story-card__standfirst">{article.standfirst}</p> : null}
        {variant !== 'compact' ? <Byline authors={article.authors} creditLine={article.creditLine} /> : null}
        <div class="story-card__footer">
          {/* The clock before the time is drawn by the stylesheet (.story-card__meta::before). */}
          <p class="story-card__meta">
            <RelTime iso={article.publishedAt} now={now} />
            <CommentCount article={article} card />
          </p>
          <FavoriteButton articleId={article.id} headline={article.headline} variant="card" />
        </div>
      </div>
    </article>
  );
}

/**
 * A real form, so favorites work without JavaScript; the client script upgrades
 * it in place (aria-pressed, label, count). On story cards it is a small star
 * named "Save" plus the headline, so a page has one "Add to favorites": the story's own.
 */
export function FavoriteButton({ articleId, headline, variant = 'article' }: { articleId: number; headline?: string; variant?: 'article' | 'card' }) {
  if (variant === 'card') {
    return (
      <form method="post" action={paths.favorite(articleId)} class="favorite-form favorite-form--card" data-article-id={String(articleId)} data-variant="card">
        {/* The star is drawn by the stylesheet (.favorite-button--icon::before), filled when pressed. */}
        <button type="submit" aria-pressed="false" class="favorite-button favorite-button--icon" title="Add to favorites">
          <span class="visually-hidden">
            <span class="favorite-button__label">Save</span> “{headline}”
          </span>
        </button>
      </form>
    );
  }
  return (
    <form method="post" action={paths.favorite(articleId)} class="favorite-form" data-article-id={String(articleId)}>
      <button type="submit" aria-pressed="false" class="favorite-button">
        <Icon name="star" />
        <span class="favorite-button__label">Add to favorites</span>
      </button>
    </form>
  );
}

export function SpecialCoverageBanner({
  coverage,
  now,
  limit = 4,
  headingLevel = 2,
  compact = false,
}: {
  coverage: SpecialCoverage;
  now: Date;
  limit?: number;
  headingLevel?: HeadingLevel;
  /** On small screens show only the label and the tag (used above an article, so the story stays near the top). */
  compact?: boolean;
}) {
  const { tag, articles } = coverage;
  const id = `special-${tag.slug}`;
  return (
    <section class={`special-coverage${compact ? ' special-coverage--compact' : ''}`} aria-labelledby={id}>
      <div class="special-coverage__head">
        <p class="special-coverage__label">Special coverage</p>
        <Heading level={headingLevel} class="special-coverage__title" id={id}>
          <a href={tag.path}>{tag.name}</a>
        </Heading>
        {tag.description ? <p class="special-coverage__description">{tag.description}</p> : null}
      </div>
      {articles.length > 0 ? (
        <ol class="special-coverage__list">
          {articles.slice(0, limit).map((a) => (
            <li>
              <a class="special-coverage__headline" href={a.path}>
                {a.headline}
              </a>
              <RelTime iso={a.publishedAt} now={now} />
            </li>
          ))}
        </ol>
      ) : null}
      <a class="special-coverage__more" href={tag.path}>
        All coverage<span class="visually-hidden"> of {tag.name}</span>
        <span aria-hidden="true"> →</span>
      </a>
    </section>
  );
}
