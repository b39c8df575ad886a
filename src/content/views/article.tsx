import { RelTime } from '../../web/components.js';
import { Byline, CommentCount, FavoriteButton, SectionLabel, SpecialCoverageBanner, StoryCard } from './story-parts.js';
import { Icon } from '../../web/icons.js';
import { Layout } from '../../web/layout.js';
import { exactTime } from '../../web/relative-time.js';
import type { Chrome, PagePreview } from '../../web/view-types.js';
import type { ArticlePageProps } from './page-props.js';
import { breadcrumbLd, describeArticle, HERO_HEIGHT, HERO_WIDTH, liveBlogLd, newsArticleLd } from './structured-data.js';
import { LiveStreamView, LiveTop } from './live.js';
import { ArticleDiscussion } from '../../comments/views/discussion.js';
import { ARTICLE_IMAGE_SIZES, CORRECTION_LABELS, correctionAnchor, correctionDate, type Correction } from '../content.model.js';
import { ShareLinks } from '../../web/share.js';
import { MostRead } from './most-read.js';

/** The corrections log, oldest first: "Correction, 3 Dec 2026: an earlier version said…". */
export function CorrectionsLog({ corrections }: { corrections: Correction[] }) {
  if (!corrections.length) return null;
  return (
    <aside class="article__corrections" id="corrections" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading" class="visually-hidden">
        Corrections and updates
      </h2>
      <ol class="corrections-log" role="list">
        {corrections.map((c) => (
          <li id={correctionAnchor(c.id)} class={`article__correction article__correction--${c.kind}`} data-correction-kind={c.kind}>
            <strong>
              {CORRECTION_LABELS[c.kind]}, <time dateTime={c.at} title={exactTime(c.at)}>{correctionDate(c.at)}</time>:
            </strong>{' '}
            {c.note}
            {c.editedAt ? (
              <span class="article__correction-edited">
                {' '}(wording edited <time dateTime={c.editedAt}>{correctionDate(c.editedAt)}</time>)
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      <p class="article__corrections-policy">
        <a href="/corrections-policy">Our corrections policy</a> · <a href="/corrections">All corrections</a>
      </p>
    </aside>
  );
}

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ku', 'sd', 'ug']);

function languageAttrs(language: string): { lang?: string; dir?: 'rtl' } {
  const lang = language.trim();
  if (!lang || lang.toLowerCase() === 'en' || lang.toLowerCase().startsWith('en-')) return {};
  const base = lang.toLowerCase().split('-')[0]!;
  return RTL_LANGUAGES.has(base) ? { lang, dir: 'rtl' } : { lang };
}

/** The story's page; with `preview`, as the newsroom shows it before it is public (see Layout). */
export function ArticlePage(props: ArticlePageProps & { chrome: Chrome; preview?: PagePreview }) {
  const { chrome, article, breadcrumb, related, specialCoverage, preview, live } = props;
  const { now, site } = chrome;
  const hero = article.hero;
  const n = article.commentCount;
  return (
    <Layout
      chrome={chrome}
      preview={preview}
      meta={{
        title: article.seoTitle || article.headline,
        description: article.seoDescription || describeArticle(article) || undefined,
        canonicalPath: article.path,
        activeSection: article.section.slug,
        ogType: 'article',
        ...(hero ? { image: { url: hero.url, alt: hero.alt, width: HERO_WIDTH, height: HERO_HEIGHT } } : {}),
        article: {
          publishedTime: article.publishedAt,
          modifiedTime: article.updatedAt ?? article.publishedAt,
          section: article.section.name,
          tags: article.tags.map((t) => t.name),
          authorUrls: article.authors.map((a) => site.url + a.path),
        },
        feed: { title: article.section.name, path: article.section.path },
        ...(article.translations ? { alternates: article.translations.map((t) => ({ hreflang: t.language, path: t.path })) } : {}),
        structuredData: [live ? liveBlogLd(newsArticleLd(article, site), live, site.url + article.path) : newsArticleLd(article, site), breadcrumbLd(site, breadcrumb.at(-1)?.path === article.path ? breadcrumb : [...breadcrumb, { name: article.headline, path: article.path }])],
      }}
    >
      {specialCoverage ? (
        <SpecialCoverageBanner
          coverage={{ tag: specialCoverage.tag, articles: specialCoverage.articles.filter((a) => a.id !== article.id) }}
          now={now}
          limit={3}
          compact
        />
      ) : null}

      {breadcrumb.length ? (
        <nav class="breadcrumb" aria-label="Breadcrumb">
          <ol>
            {breadcrumb.map((crumb, i) => {
              const last = i === breadcrumb.length - 1;
              return (
                <li>
                  <a href={crumb.path} aria-current={last ? 'page' : undefined}>
                    {crumb.name}
                  </a>
                </li>
              );
            })}
          </ol>
        </nav>
      ) : null}

      {/* The page's script counts one read from here (src/analytics); not on a preview, which is never indexed (client/read-beacon.ts). */}
      <article class="article" {...languageAttrs(article.language)} data-read-beacon={`/api/v1/articles/${article.id}/read`}>
        <header class="article__header">
          <SectionLabel section={article.section} />
          <h1 class="article__headline">{article.headline}</h1>
          {article.standfirst ? <p class="standfirst">{article.standfirst}</p> : null}
          <div class="article__meta">
            <Byline authors={article.authors} creditLine={article.creditLine} />
            <p class="article__times">
              <Icon name="clock" size={15} />
              <RelTime iso={article.publishedAt} now={now} />
              {article.updatedAt ? (
                <>
                  <span class="article__times-sep" aria-hidden="true">
                    ·
                  </span>
                  <RelTime iso={article.updatedAt} now={now} prefix="Updated " />
                </>
              ) : null}
            </p>
            <div class="article__actions">
              <CommentCount article={article} />
              <FavoriteButton articleId={article.id} />
            </div>
          </div>
        </header>

        {hero ? (
          <figure class="article__hero">
            <img
              src={hero.url}
              srcset={hero.srcset}
              sizes={hero.srcset ? hero.sizes ?? ARTICLE_IMAGE_SIZES.hero : undefined}
              alt={hero.alt}
              width={hero.width ?? HERO_WIDTH}
              height={hero.height ?? HERO_HEIGHT}
              fetchpriority="high"
              decoding="async"
            />
            {hero.caption || hero.credit ? (
              <figcaption>
                {hero.caption}
                {hero.caption && hero.credit ? ' ' : null}
                {hero.credit ? <span class="credit">{hero.credit}</span> : null}
              </figcaption>
            ) : null}
          </figure>
        ) : null}

        <CorrectionsLog corrections={article.corrections} />

        {live ? <LiveTop live={live} articlePath={article.path} now={now} /> : null}

        <div class="article-body" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />

        {live ? <LiveStreamView live={live} articleId={article.id} articlePath={article.path} now={now} /> : null}

        {article.tags.length ? (
          <div class="article__tags">
            <h2 class="visually-hidden">Topics</h2>
            <ul class="tag-list" role="list">
              {article.tags.map((t) => (
                <li>
                  <a class={`chip${t.specialCoverage ? ' chip--special' : ''}`} href={t.path}>
                    {t.name}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <ShareLinks url={site.url + article.path} title={article.headline} />
      </article>

      {related.length ? (
        <section class="related" aria-labelledby="related-heading">
          <h2 id="related-heading" class="block-heading">
            Related stories
          </h2>
          <ul class="card-grid card-grid--related story-list" role="list">
            {related.map((a) => (
              <li>
                <StoryCard article={a} now={now} variant="standard" headingLevel={3} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <MostRead articles={props.mostRead} exclude={article.id} />

      <section id="comments" class="comments" aria-labelledby="comments-heading">
        <h2 id="comments-heading" class="block-heading">
          <Icon name="comment" size={20} />
          <span>Comments ({n})</span>
        </h2>
        {props.comments ? (
          <ArticleDiscussion discussion={props.comments} articlePath={article.path} now={now} />
        ) : (
          <div class="comments-thread" data-article-id={String(article.id)} data-comment-count={String(n)}>
            {n === 0 ? <p class="comments-empty">No comments yet.</p> : null}
          </div>
        )}
      </section>
    </Layout>
  );
}
