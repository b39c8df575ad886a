/** A story's discussion on a page of its own: further pages and the other sort order, without JavaScript. */
import { Layout } from '../../web/layout.js';
import { Pagination } from '../../web/components.js';
import type { Chrome } from '../../web/view-types.js';
import { commentPaths, type Discussion } from '../comment.model.js';
import { CommentComposer, CommentSortLinks, CommentThreads } from './discussion.js';

export interface DiscussionPageProps {
  article: { id: number; headline: string; path: string; commentCount: number };
  discussion: Discussion;
}

export function DiscussionPage({ chrome, article, discussion }: DiscussionPageProps & { chrome: Chrome }) {
  const { page, totalPages } = discussion.threads;
  const self = commentPaths.discussion(article.id, { page, sort: discussion.sort });
  const n = discussion.count;
  return (
    <Layout chrome={chrome} meta={{ title: `Comments: ${article.headline}`, canonicalPath: self, description: `Readers' discussion of "${article.headline}".` }}>
      <section id="comments" class="comments comments--page" aria-labelledby="comments-heading">
        <p class="comments-back">
          <a href={article.path}>← {article.headline}</a>
        </p>
        <h1 id="comments-heading" class="block-heading">
          <span>
            Comments ({n}){totalPages > 1 ? `, page ${page} of ${totalPages}` : ''}
          </span>
        </h1>
        {page === 1 ? <CommentComposer discussion={discussion} articlePath={article.path} /> : null}
        <CommentSortLinks discussion={discussion} basePage="discussion" />
        <CommentThreads discussion={discussion} now={chrome.now} />
        <Pagination page={page} totalPages={totalPages} label="Comment pages" href={(n) => commentPaths.discussion(article.id, { page: n, sort: discussion.sort })} words={{ prev: 'Previous', next: 'More', what: 'comments' }} />
      </section>
    </Layout>
  );
}
