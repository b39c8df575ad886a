/**
 * What every domain's policy answers: `true`, or a refusal that says why
 * (as the HTTP status, a stable code and a sentence for the person).
 * Policies are pure functions returning a Verdict; `authorize` turns a
 * refusal into the error the one error handler answers with.
 */
import { AppError } from './errors.js';

export interface Refusal {
  status: 401 | 403 | 404 | 409;
  code: string;
  message: string;
}

export type Verdict = true | Refusal;

export const refuse = (status: Refusal['status'], code: string, message: string): Refusal => ({ status, code, message });

export class PolicyError extends AppError {}

/** Throws the refusal as an AppError; after it, the verdict was `true`. */
export function authorize(verdict: Verdict): asserts verdict is true {
  if (verdict !== true) throw new PolicyError(verdict.status, verdict.code, verdict.message);
}
