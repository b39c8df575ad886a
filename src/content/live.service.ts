/**
 * Live coverage: editors start a story's coverage, post short updates (text,
 * an image, an embed by URL, a quote), pin one on top, mark key events, edit
 * or delete posts, and end the coverage. Readers' pages read the stream
 * through `stream()` (its own query, beside the story's), and every change
 * purges the story's live key, so the page and the small updates endpoint
 * re-render once per change, not once per reader.
 */
import type { Kysely } from 'kysely';
import type { Database, LivePostKind } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { authorize, can } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';
import { audit } from '../audit/audit.service.js';
import { bodyText, markdownToDoc, readStoredBody, renderBody } from './body.js';
import { safeUrl } from '../web/urls.js';
import { hubStore, liveStore, type LiveCoverageRow, type LivePostWithAuthor } from './live.store.js';
import { tagStore } from './tag.store.js';
import { storyStore } from './story.store.js';
import type { LinkCardReader } from './link-card.js';
import { KEY_EVENTS_SHOWN, LIVE_PAGE_SIZE, liveKey, type LiveCoverage, type LivePost, type LiveStream } from './live.model.js';

export interface LiveDeps {
  db: Kysely<Database>;
  events: EventBus;
  now: () => Date;
  /** Reads an embed's link card through the safe fetcher. */
  linkCards: LinkCardReader;
}

export interface LivePostInput {
  kind?: LivePostKind;
  /** Markdown: the post's text, an image's caption, a quote's words. */
  body?: string;
  imageUrl?: string;
  imageAlt?: string;
  /** An embed's address (http or https). */
  url?: string;
  /** Who said a quote. */
  attribution?: string;
}

const MAX_BODY = 5000;

function toCoverage(row: LiveCoverageRow): LiveCoverage {
  return { articleId: row.article_id, startedAt: row.started_at, endedAt: row.ended_at, revision: row.revision };
}

export function toLivePost(row: LivePostWithAuthor): LivePost {
  const doc = readStoredBody(row.body);
  return {
    id: row.id,
    kind: row.kind,
    html: renderBody(doc),
    text: bodyText(doc),
    markdown: row.markdown,
    author: row.author_name,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    pinned: row.pinned === 1,
    keyEvent: row.key_event === 1 ? { title: row.key_event_title ?? '' } : null,
    image: row.kind === 'image' && row.media_url ? { url: row.media_url, alt: row.media_alt ?? '' } : null,
    embed: row.kind === 'embed' && row.media_url
      ? { url: row.media_url, title: row.card_title ?? row.media_url, description: row.card_description, site: row.card_site ?? '' }
      : null,
    attribution: row.kind === 'quote' ? row.attribution : null,
  };
}

/** An absolute http(s) address (embeds leave the site, so a site path is not one). */
function webUrl(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.toString() : null;
  } catch {
    return null;
  }
}

export function createLiveService({ db, events, now, linkCards }: LiveDeps) {
  const nowIso = () => now().toISOString();

  async function published(articleId: number): Promise<boolean> {
    const row = await storyStore.byId(db, articleId);
    return row?.status === 'published';
  }

  /** The stream changed: its pages and the updates endpoint re-render (once each, however many readers). */
  async function streamChanged(articleId: number): Promise<void> {
    if (await published(articleId)) await events.emit('content.changed', { keys: [liveKey(articleId)] });
  }

  /** The story became live or stopped being live: its page, fronts and feeds show it. */
  async function coverageChanged(articleId: number): Promise<void> {
    if (!(await published(articleId))) return;
    await events.emit('article.updated', { articleId, keys: [...(await storyStore.cacheKeys(db, articleId)), liveKey(articleId), 'feeds'] });
  }

  async function runningCoverage(articleId: number): Promise<LiveCoverageRow> {
    const coverage = await liveStore.coverage(db, articleId);
    if (!coverage) {
      if (!(await storyStore.byId(db, articleId))) throw new NotFoundError(`There is no story ${articleId}.`);
      throw new ConflictError('This story is not a live story yet: start its live coverage first.');
    }
    if (coverage.ended_at) throw new ConflictError('The live coverage of this story has ended; it takes no more changes.');
    return coverage;
  }

  async function existingPost(articleId: number, postId: number) {
    const post = await liveStore.post(db, articleId, postId);
    if (!post) throw new NotFoundError(`Story ${articleId} has no live post ${postId}.`);
    return post;
  }

  /** The columns a post's input sets, checked for its kind. */
  async function contentOf(kind: LivePostKind, input: LivePostInput, previous?: { media_url: string | null; card_title: string | null; card_description: string | null; card_site: string | null }) {
    const markdown = (input.body ?? '').trim();
    if (markdown.length > MAX_BODY) throw new ValidationError(`A live post is at most ${MAX_BODY} characters.`);
    const doc = markdownToDoc(markdown);
    const text = bodyText(doc);
    const base = { kind, body: JSON.stringify(doc), markdown, media_url: null as string | null, media_alt: null as string | null, attribution: null as string | null, card_title: null as string | null, card_description: null as string | null, card_site: null as string | null };
    switch (kind) {
      case 'text':
        if (!text) throw new ValidationError('Write the text of the post.');
        return base;
      case 'quote':
        if (!text) throw new ValidationError('Write the words quoted.');
        return { ...base, attribution: input.attribution?.trim().slice(0, 200) || null };
      case 'image': {
        const url = safeUrl(input.imageUrl ?? '');
        if (!url) throw new ValidationError('An image post needs the image\'s address: a path on this site (/media/…) or an http(s) address.');
        const alt = input.imageAlt?.trim() ?? '';
        if (!alt) throw new ValidationError('Describe the image for readers who cannot see it (alt text).');
        return { ...base, media_url: url, media_alt: alt.slice(0, 300) };
      }
      case 'embed': {
        const url = webUrl(input.url ?? '');
        if (!url) throw new ValidationError('An embed needs an http(s) address.');
        // The page is read once, here, through the safe fetcher; an unchanged address keeps its card.
        const card = previous?.media_url === url && previous.card_title
          ? { title: previous.card_title, description: previous.card_description, site: previous.card_site ?? '' }
          : await linkCards(url);
        return { ...base, media_url: url, card_title: card.title, card_description: card.description, card_site: card.site };
      }
    }
  }

  return {
    /** The coverage of a story, running or ended; null when it is not a live story. */
    async coverage(articleId: number): Promise<LiveCoverage | null> {
      const row = await liveStore.coverage(db, articleId);
      return row ? toCoverage(row) : null;
    },

    /** Stories whose coverage runs now. */
    async runningIds(): Promise<Set<number>> {
      return new Set(await liveStore.runningIds(db));
    },

    /**
     * One page of a story's stream as readers see it (deleted posts are
     * gone without a trace), or null when the story is not a live story.
     */
    async stream(articleId: number, { before, limit = LIVE_PAGE_SIZE }: { before?: number; limit?: number } = {}): Promise<LiveStream | null> {
      const coverage = await liveStore.coverage(db, articleId);
      if (!coverage) return null;
      const [rows, pinned, keyEvents, total] = await Promise.all([
        liveStore.stream(db, articleId, { before, limit: limit + 1 }),
        liveStore.pinned(db, articleId),
        liveStore.keyEvents(db, articleId, KEY_EVENTS_SHOWN),
        liveStore.streamCount(db, articleId),
      ]);
      const posts = rows.slice(0, limit).map(toLivePost);
      return {
        coverage: toCoverage(coverage),
        pinned: pinned ? toLivePost(pinned) : null,
        keyEvents: keyEvents.map((k) => ({ postId: k.id, title: k.key_event_title ?? '', at: k.created_at })),
        posts,
        before: before ?? null,
        olderBefore: rows.length > limit ? posts.at(-1)!.id : null,
        total,
      };
    },

    /** A special-coverage hub's parts: the lead editors chose (if any) and the live story running under the tag (if any). */
    async hub(tagId: number): Promise<{ leadId: number | null; liveId: number | null }> {
      const [leadId, liveId] = await Promise.all([hubStore.lead(db, tagId), hubStore.runningLiveStory(db, tagId, nowIso())]);
      return { leadId, liveId };
    },

    /**
     * The newsroom's hub screen: the lead chosen now and the recent published
     * stories with the tag to choose from (the chosen one among them even when older).
     */
    async hubChoices(staff: Staff, tagId: number, limit = 30): Promise<{ leadId: number | null; stories: Array<{ id: number; headline: string; publishedAt: string }> }> {
      authorize(can(staff, 'tag.manage'));
      const [leadId, recent] = await Promise.all([hubStore.lead(db, tagId), hubStore.leadCandidates(db, tagId, nowIso(), limit)]);
      const stories = recent.map((r) => ({ id: r.id, headline: r.headline, publishedAt: r.published_at }));
      if (leadId !== null && !stories.some((s) => s.id === leadId)) {
        const lead = await storyStore.byId(db, leadId);
        if (lead) stories.push({ id: lead.id, headline: lead.headline, publishedAt: String(lead.published_at ?? '') });
      }
      return { leadId, stories };
    },

    /** Chooses the story a special-coverage hub leads with (null: the newest, as before). */
    async setHubLead(staff: Staff, tagSlug: string, articleId: number | null): Promise<{ tag: string; leadArticleId: number | null }> {
      authorize(can(staff, 'tag.manage'));
      const tag = await tagStore.bySlug(db, tagSlug);
      if (!tag) throw new NotFoundError(`There is no tag "${tagSlug}".`);
      if (!tag.special_coverage) throw new ConflictError(`"${tag.name}" is not a special-coverage tag, so its page is not a hub.`);
      if (articleId !== null) {
        if (!(await storyStore.byId(db, articleId))) throw new NotFoundError(`There is no story ${articleId}.`);
        if (!(await hubStore.hasTag(db, articleId, tag.id))) throw new ConflictError(`Story ${articleId} is not tagged "${tag.name}": tag it first.`);
      }
      await db.transaction().execute(async (trx) => {
        await hubStore.setLead(trx, { tag_id: tag.id, lead_article_id: articleId, updated_at: nowIso(), updated_by: staff.userId });
        await audit(trx, staff, now(), 'hub.lead', `tag:${tag.id}`, { articleId });
      });
      await events.emit('content.changed', { keys: [`tag:${tag.slug}`] });
      return { tag: tag.slug, leadArticleId: articleId };
    },

    /** Every visible post, pinned included, newest first: the newsroom's screen. */
    async postsForDesk(staff: Staff, articleId: number, limit = 200): Promise<LivePost[]> {
      authorize(can(staff, 'live.manage'));
      return (await liveStore.allPosts(db, articleId, limit)).map(toLivePost);
    },

    async start(staff: Staff, articleId: number): Promise<LiveCoverage> {
      authorize(can(staff, 'live.manage'));
      if (!(await storyStore.byId(db, articleId))) throw new NotFoundError(`There is no story ${articleId}.`);
      const existing = await liveStore.coverage(db, articleId);
      await db.transaction().execute(async (trx) => {
        // Starting again after an end reopens the same coverage: its posts are still the story's.
        if (existing) await liveStore.setCoverage(trx, articleId, { ended_at: null, revision: existing.revision + 1 });
        else await liveStore.startCoverage(trx, { article_id: articleId, started_at: nowIso(), started_by: staff.userId, revision: 0 });
        await audit(trx, staff, now(), 'live.start', `article:${articleId}`, existing ? { reopened: true } : {});
      });
      await coverageChanged(articleId);
      return toCoverage((await liveStore.coverage(db, articleId))!);
    },

    async end(staff: Staff, articleId: number): Promise<LiveCoverage> {
      authorize(can(staff, 'live.manage'));
      await runningCoverage(articleId);
      await db.transaction().execute(async (trx) => {
        await liveStore.setCoverage(trx, articleId, { ended_at: nowIso() });
        await liveStore.bumpRevision(trx, articleId);
        await audit(trx, staff, now(), 'live.end', `article:${articleId}`);
      });
      await coverageChanged(articleId);
      return toCoverage((await liveStore.coverage(db, articleId))!);
    },

    async post(staff: Staff, articleId: number, input: LivePostInput & { keyEvent?: string | null; pinned?: boolean }): Promise<LivePost> {
      authorize(can(staff, 'live.manage'));
      await runningCoverage(articleId);
      const content = await contentOf(input.kind ?? 'text', input);
      const keyTitle = input.keyEvent?.trim() ?? '';
      const id = await db.transaction().execute(async (trx) => {
        if (input.pinned) await liveStore.unpinAll(trx, articleId);
        const row = await liveStore.insertPost(trx, {
          ...content, article_id: articleId, author_id: staff.userId, created_at: nowIso(), edited_at: null, deleted_at: null,
          pinned: input.pinned ? 1 : 0, key_event: keyTitle ? 1 : 0, key_event_title: keyTitle ? keyTitle.slice(0, 140) : null,
        });
        await liveStore.bumpRevision(trx, articleId);
        await audit(trx, staff, now(), 'live.post', `article:${articleId}`, { postId: row.id, kind: row.kind });
        return row.id;
      });
      await streamChanged(articleId);
      return this.get(articleId, id);
    },

    async get(articleId: number, postId: number): Promise<LivePost> {
      const row = await liveStore.postWithAuthor(db, articleId, postId);
      if (!row) throw new NotFoundError(`Story ${articleId} has no live post ${postId}.`);
      return toLivePost(row);
    },

    /** Changes a post's content; readers see it marked as edited. */
    async edit(staff: Staff, articleId: number, postId: number, input: LivePostInput): Promise<LivePost> {
      authorize(can(staff, 'live.manage'));
      await runningCoverage(articleId);
      const before = await existingPost(articleId, postId);
      const content = await contentOf(input.kind ?? before.kind, input, before);
      await db.transaction().execute(async (trx) => {
        await liveStore.updatePost(trx, articleId, postId, { ...content, edited_at: nowIso() });
        await liveStore.bumpRevision(trx, articleId);
        await audit(trx, staff, now(), 'live.edit', `article:${articleId}`, { postId, before: bodyText(readStoredBody(before.body)).slice(0, 500) });
      });
      await streamChanged(articleId);
      return this.get(articleId, postId);
    },

    /** Deletes a post: readers never see it again, anywhere (its row stays for the audit). */
    async remove(staff: Staff, articleId: number, postId: number): Promise<void> {
      authorize(can(staff, 'live.manage'));
      await runningCoverage(articleId);
      const before = await existingPost(articleId, postId);
      await db.transaction().execute(async (trx) => {
        await liveStore.updatePost(trx, articleId, postId, { deleted_at: nowIso(), pinned: 0, key_event: 0 });
        await liveStore.bumpRevision(trx, articleId);
        await audit(trx, staff, now(), 'live.delete', `article:${articleId}`, { postId, text: bodyText(readStoredBody(before.body)).slice(0, 500) });
      });
      await streamChanged(articleId);
    },

    /** Pins the post on top (unpinning any other), or unpins it. */
    async pin(staff: Staff, articleId: number, postId: number, pinned: boolean): Promise<LivePost> {
      authorize(can(staff, 'live.manage'));
      await runningCoverage(articleId);
      await existingPost(articleId, postId);
      await db.transaction().execute(async (trx) => {
        await liveStore.unpinAll(trx, articleId);
        if (pinned) await liveStore.updatePost(trx, articleId, postId, { pinned: 1 });
        await liveStore.bumpRevision(trx, articleId);
        await audit(trx, staff, now(), pinned ? 'live.pin' : 'live.unpin', `article:${articleId}`, { postId });
      });
      await streamChanged(articleId);
      return this.get(articleId, postId);
    },

    /** Marks the post as a key event with a short title (shown in the timeline), or unmarks it (title null). */
    async markKeyEvent(staff: Staff, articleId: number, postId: number, title: string | null): Promise<LivePost> {
      authorize(can(staff, 'live.manage'));
      await runningCoverage(articleId);
      await existingPost(articleId, postId);
      const t = title?.trim() ?? '';
      await db.transaction().execute(async (trx) => {
        await liveStore.updatePost(trx, articleId, postId, { key_event: t ? 1 : 0, key_event_title: t ? t.slice(0, 140) : null });
        await liveStore.bumpRevision(trx, articleId);
        await audit(trx, staff, now(), 'live.key-event', `article:${articleId}`, { postId, title: t || null });
      });
      await streamChanged(articleId);
      return this.get(articleId, postId);
    },
  };
}

export type LiveService = ReturnType<typeof createLiveService>;
