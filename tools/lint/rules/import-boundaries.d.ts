// Types for import-boundaries.js (plain JavaScript, so ESLint loads it as it is) for its test.
import type { Rule } from 'eslint';

declare const rule: Rule.RuleModule;
export default rule;
