// dispatch/import-boundaries: which folders of src/ may import which.
//
// The layout (see README "Layout"): every top-level folder of src/ is a domain
// (content, accounts, comments, …, and any new one), except the infrastructure
// folders platform/ and web/, and client/, the browser bundles. Files directly in
// src/ (app.ts, main.ts, services.ts) are the composition root that wires it all.
//
// Rules, checked on every relative import, re-export and literal import():
//   infra-imports-domain  platform/ and web/ never import a domain or the composition root.
//   cross-domain-store    a domain never imports another domain's store (*.store.ts).
//   route-imports-store   a route file (*.routes.ts[x], and for now *.pages.ts[x], *.api.ts,
//                         *-routes.tsx) never imports any store, even its own domain's.
//   client-imports-server client/ imports only client/, stylesheets, and the pure modules
//                         listed in the `clientMayImport` option.
//
// A specifier is resolved against the importing file the way TypeScript's NodeNext does
// for this project: './x.js' is the source file './x.ts' (or './x.tsx'), './x.jsx' is
// './x.tsx'. Package imports ('fastify', 'node:fs') are not checked.
//
// Options (one object):
//   root             absolute path of the repository (paths below are relative to it)
//   clientMayImport  ['src/web/relative-time.ts', …]: server files the browser code may use
//   allow            [{ file: 'src/web/chrome.ts', import: 'src/app.ts' }, …]: known
//                    violations to skip for now. An entry that no longer matches an import
//                    of its file is reported, so that it gets deleted.

import fs from 'node:fs';
import path from 'node:path';

const STORE = /(?:\.|-)store\.ts$/;
const ROUTES = /(?:\.routes\.tsx?|\.pages\.tsx?|\.api\.ts|-routes\.tsx)$/;
const INFRA = new Set(['platform', 'web']);
const CLIENT = 'client';

/** @param {string} p */
const posix = (p) => p.split(path.sep).join('/');

/**
 * The source file a relative specifier names, as a path relative to `root`.
 * @param {string} fromFile absolute path of the importing file
 * @param {string} specifier
 * @param {string} root
 * @returns {string}
 */
function resolveSpecifier(fromFile, specifier, root) {
  const abs = path.resolve(path.dirname(fromFile), specifier);
  /** @type {string[]} */
  let candidates;
  if (abs.endsWith('.js')) candidates = [abs.slice(0, -3) + '.ts', abs.slice(0, -3) + '.tsx', abs];
  else if (abs.endsWith('.jsx')) candidates = [abs.slice(0, -4) + '.tsx', abs];
  else if (path.extname(abs)) candidates = [abs];
  else candidates = [abs + '.ts', abs + '.tsx', path.join(abs, 'index.ts'), path.join(abs, 'index.tsx')];
  const found = candidates.find((c) => fs.existsSync(c)) ?? candidates[0] ?? abs;
  return posix(path.relative(root, found));
}

/**
 * Where a file sits in the layout.
 * @param {string} rel path relative to the repository root
 * @returns {{ kind: 'outside' } | { kind: 'root' | 'infra' | 'client' | 'domain', folder: string, rel: string }}
 */
function classify(rel) {
  const parts = rel.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return { kind: 'outside' };
  if (parts.length === 2) return { kind: 'root', folder: '', rel };
  const folder = /** @type {string} */ (parts[1]);
  if (INFRA.has(folder)) return { kind: 'infra', folder, rel };
  if (folder === CLIENT) return { kind: 'client', folder, rel };
  return { kind: 'domain', folder, rel };
}

/** @param {string} rel  'src/accounts/user.store.ts' -> 'accounts/user.store.ts' */
const short = (rel) => rel.replace(/^src\//, '');

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps the import boundaries between domains, infrastructure, routes, stores and browser code.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          clientMayImport: { type: 'array', items: { type: 'string' } },
          allow: {
            type: 'array',
            items: {
              type: 'object',
              properties: { file: { type: 'string' }, import: { type: 'string' } },
              required: ['file', 'import'],
              additionalProperties: false,
            },
          },
        },
        required: ['root'],
        additionalProperties: false,
      },
    ],
    messages: {
      infraImportsDomain:
        '{{from}} imports {{to}} (infra-imports-domain): platform/ and web/ are infrastructure and never import a domain or app.ts/main.ts/services.ts; take what it needs as a parameter or an interface, or move the shared piece into platform/ or web/.',
      crossDomainStore:
        "{{from}} imports {{to}} (cross-domain-store): a domain never reads another domain's store; call the {{domain}} service instead.",
      routeImportsStore:
        '{{from}} imports {{to}} (route-imports-store): route files never touch a store; go through the {{domain}} service instead.',
      clientImportsServer:
        '{{from}} imports {{to}} (client-imports-server): browser code imports only src/client/, stylesheets and the pure modules listed in clientMayImport (tools/lint/eslint.config.js); move the code it needs into a pure module, or add it there if it is pure and browser-safe.',
      staleAllow:
        'The import-boundaries allowlist in tools/lint/eslint.config.js has {{from}} -> {{to}}, but {{from}} no longer imports it: delete that entry.',
    },
  },

  create(context) {
    const options = context.options[0] ?? {};
    const root = /** @type {string} */ (options.root);
    const fromRel = posix(path.relative(root, context.filename));
    const from = classify(fromRel);
    if (from.kind === 'outside') return {};

    /** @type {Set<string>} */
    const clientMayImport = new Set(options.clientMayImport ?? []);
    /** @type {Map<string, boolean>} allowed import -> used yet */
    const allowed = new Map();
    for (const entry of options.allow ?? []) if (entry.file === fromRel) allowed.set(entry.import, false);
    const isRoutes = ROUTES.test(fromRel);

    /**
     * @param {import('estree').Node} node the import's source literal
     * @param {unknown} specifier
     */
    function check(node, specifier) {
      if (typeof specifier !== 'string' || !(specifier.startsWith('./') || specifier.startsWith('../'))) return;
      const toRel = resolveSpecifier(context.filename, specifier, root);
      const to = classify(toRel);
      if (to.kind === 'outside' || to.rel === fromRel) return;

      /** @type {string | undefined} */
      let messageId;
      if (from.kind === 'infra' && (to.kind === 'domain' || to.kind === 'root')) {
        messageId = 'infraImportsDomain';
      } else if (from.kind === 'client' && to.kind !== 'client' && !toRel.endsWith('.css') && !clientMayImport.has(toRel)) {
        messageId = 'clientImportsServer';
      } else if (isRoutes && STORE.test(toRel)) {
        messageId = 'routeImportsStore';
      } else if (from.kind === 'domain' && to.kind === 'domain' && to.folder !== from.folder && STORE.test(toRel)) {
        messageId = 'crossDomainStore';
      }
      if (!messageId) return;
      if (allowed.has(toRel)) {
        allowed.set(toRel, true);
        return;
      }
      const domain = to.kind === 'domain' ? to.folder : 'domain';
      context.report({ node, messageId, data: { from: short(fromRel), to: short(toRel), domain } });
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      'Program:exit'(node) {
        for (const [to, used] of allowed) {
          if (!used) context.report({ node, loc: { line: 1, column: 0 }, messageId: 'staleAllow', data: { from: fromRel, to } });
        }
      },
    };
  },
};

export default rule;
