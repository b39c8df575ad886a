/**
 * Types for what the tests read back: the JSON API's answers, typed by the route
 * schemas (what the server promises: `Static<typeof ArticleListJson>`), an error
 * answer, and the parts of the OpenAPI document the tests look at.
 */
import type { Static } from 'typebox';
import type { ErrorJson } from '../../src/content/content.schemas.js';

/** Every error answer of the API: `{ error: { code, message } }`. */
export type ApiError = Static<typeof ErrorJson>;

export interface OpenApiOperation {
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
}

/** /api/openapi.json, as far as the tests read it. */
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Partial<Record<'get' | 'put' | 'post' | 'patch' | 'delete', OpenApiOperation>>>;
  components?: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
}
