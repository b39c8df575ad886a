import { describe, it } from 'vitest';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import rule from './import-boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// A made-up repository: no file exists there, so './x.js' is taken as ./x.ts.
const root = '/repo';
const file = (rel: string) => `${root}/${rel}`;
const options = [{ root, clientMayImport: ['src/web/relative-time.ts'] }];

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

tester.run('import-boundaries', rule, {
  valid: [
    { name: 'a domain reads its own store', filename: file('src/content/content.service.ts'), code: "import { articleStore } from './article.store.js';", options },
    { name: 'a view of a domain reads its own store types', filename: file('src/newsroom/views/people.tsx'), code: "import type { InvitationRow } from '../invitation.store.js';", options },
    { name: "a domain calls another domain's service", filename: file('src/comments/comment.service.ts'), code: "import { createContentService } from '../content/content.service.js';", options },
    { name: 'a domain uses infrastructure', filename: file('src/content/content.routes.ts'), code: "import { renderDocument } from '../web/render.js';\nimport type { Database } from '../platform/db/types.js';", options },
    { name: 'infrastructure uses infrastructure', filename: file('src/web/chrome.ts'), code: "import { renderDocument } from './render.js';\nimport { NotFoundError } from '../platform/errors.js';", options },
    { name: 'packages are not checked', filename: file('src/platform/db/connection.ts'), code: "import { Kysely } from 'kysely';\nimport fs from 'node:fs';", options },
    { name: 'browser code imports browser code, stylesheets and the listed pure modules', filename: file('src/client/main.ts'), code: "import './favorites.js';\nimport '../web/styles.css';\nimport { relativeTime } from '../web/relative-time.js';", options },
    {
      name: 'an allowlisted violation is skipped',
      filename: file('src/comments/comment.service.ts'),
      code: "import { settingsStore } from '../content/settings.store.js';",
      options: [{ root, allow: [{ file: 'src/comments/comment.service.ts', import: 'src/content/settings.store.ts' }] }],
    },
  ],
  invalid: [
    {
      name: "a domain imports another domain's store",
      filename: file('src/content/content.service.ts'),
      code: "import { userStore } from '../accounts/user.store.js';",
      options,
      errors: [{ messageId: 'crossDomainStore', data: { from: 'content/content.service.ts', to: 'accounts/user.store.ts', domain: 'accounts' } }],
    },
    {
      name: "a store re-exported or imported at run time from another domain",
      filename: file('src/search/search.service.ts'),
      code: "export { articleStore } from '../content/article.store.js';\nconst m = await import('../content/tag.store.js');",
      options,
      errors: [{ messageId: 'crossDomainStore' }, { messageId: 'crossDomainStore' }],
    },
    {
      name: "a route file imports its own domain's store",
      filename: file('src/accounts/accounts.routes.tsx'),
      code: "import { userStore } from './user.store.js';",
      options,
      errors: [{ messageId: 'routeImportsStore', data: { from: 'accounts/accounts.routes.tsx', to: 'accounts/user.store.ts', domain: 'accounts' } }],
    },
    {
      name: 'a pages file (a route file for now) imports a store type',
      filename: file('src/newsroom/pages/taxonomy.pages.tsx'),
      code: "import type { BreakingSetting } from '../breaking.store.js';",
      options,
      errors: [{ messageId: 'routeImportsStore' }],
    },
    {
      name: 'platform imports a domain',
      filename: file('src/platform/mail.ts'),
      code: "import { paths } from '../content/model.js';",
      options,
      errors: [{ messageId: 'infraImportsDomain', data: { from: 'platform/mail.ts', to: 'content/model.ts' } }],
    },
    {
      name: 'web imports the composition root',
      filename: file('src/web/chrome.ts'),
      code: "import type { AppDeps } from '../app.js';",
      options,
      errors: [{ messageId: 'infraImportsDomain', data: { from: 'web/chrome.ts', to: 'app.ts' } }],
    },
    {
      name: 'browser code imports server code',
      filename: file('src/client/main.ts'),
      code: "import { createContentService } from '../content/content.service.js';",
      options,
      errors: [{ messageId: 'clientImportsServer' }],
    },
    {
      name: 'an allowlist entry whose import is gone',
      filename: file('src/comments/comment.service.ts'),
      code: "import { createContentService } from '../content/content.service.js';",
      options: [{ root, allow: [{ file: 'src/comments/comment.service.ts', import: 'src/content/settings.store.ts' }] }],
      errors: [{ messageId: 'staleAllow' }],
    },
  ],
});
