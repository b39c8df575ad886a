import { SpecialCoverageBanner, StoryCard, toneClass } from './story-parts.js';
import { Icon } from '../../web/icons.js';
import { Layout } from '../../web/layout.js';
import type { Chrome, PagePreview } from '../../web/view-types.js';
import type { HomeProps } from './page-props.js';
import { websiteLd } from './structured-data.js';
import { MostRead } from './most-read.js';

/** How many of the latest stories stand beside the lead. */
const BESIDE_LEAD = 4;

export function HomePage(props: HomeProps & { chrome: Chrome; preview?: PagePreview }) {
  const { chrome, lead, latest, sectionBlocks, specialCoverage } = props;
  const { now, site } = chrome;
  const beside = latest.slice(0, BESIDE_LEAD);
  const rest = latest.slice(BESIDE_LEAD);
  const blocks = sectionBlocks.filter((b) => b.articles.length > 0);
  const empty = !lead && latest.length === 0 && blocks.length === 0;
  return (
    <Layout
      chrome={chrome}
      preview={props.preview}
      meta={{
        title: site.name,
        description: `The latest news from ${site.name}: world, politics, business, science, culture and sport.`,
        canonicalPath: '/',
        structuredData: websiteLd(site),
      }}
    >
      <h1 class="visually-hidden">{site.name}: the latest news</h1>

      {empty ? <p class="empty-state">No stories have been published yet.</p> : null}

      {lead || beside.length ? (
        <section class="top-stories" aria-labelledby="top-stories-heading">
          <h2 id="top-stories-heading" class="visually-hidden">
            Top stories
          </h2>
          <div class="top-stories__grid">
            {lead ? (
              <div class="top-stories__lead">
                <StoryCard article={lead} now={now} variant="lead" headingLevel={3} />
              </div>
            ) : null}
            {beside.length ? (
              <ul class="top-stories__beside story-list" role="list">
                {beside.map((a, i) => (
                  <li>
                    <StoryCard article={a} now={now} variant={i === 0 ? 'standard' : 'compact'} headingLevel={3} />
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </section>
      ) : null}

      {/*
        Special coverage comes after the top stories, never above them: the
        lead must be on the first screen of a phone and a desktop, under the
        breaking strip at most (test/e2e/fronts.test.ts checks it).
      */}
      {specialCoverage.map((coverage) => (
        <SpecialCoverageBanner coverage={coverage} now={now} />
      ))}

      {rest.length ? (
        <section class="latest" aria-labelledby="latest-heading">
          <h2 id="latest-heading" class="block-heading">
            <Icon name="clock" size={20} />
            <span>Latest</span>
          </h2>
          <ol class="latest__list story-list" role="list">
            {rest.map((a) => (
              <li>
                <StoryCard article={a} now={now} variant="compact" headingLevel={3} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <MostRead articles={props.mostRead} />

      {blocks.map(({ section, articles }) => {
        const [first, ...others] = articles;
        const id = `section-${section.slug}`;
        return (
          <section class={`section-block ${toneClass(section)}`} aria-labelledby={id}>
            <h2 id={id} class="block-heading">
              <a href={section.path}>
                <Icon name={section.icon} size={20} />
                <span>{section.name}</span>
                <span class="block-heading__more" aria-hidden="true">
                  ›
                </span>
              </a>
            </h2>
            <div class="section-block__grid">
              {first ? (
                <div class="section-block__main">
                  <StoryCard article={first} now={now} variant="standard" headingLevel={3} showSection={false} />
                </div>
              ) : null}
              {others.length ? (
                <ul class="section-block__more story-list" role="list">
                  {others.slice(0, 3).map((a) => (
                    <li>
                      <StoryCard
                        article={a}
                        now={now}
                        variant="compact"
                        headingLevel={3}
                        showSection={a.section.slug !== section.slug}
                      />
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </section>
        );
      })}
    </Layout>
  );
}
