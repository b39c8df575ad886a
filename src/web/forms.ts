/**
 * What a plain HTML form posts (application/x-www-form-urlencoded): every
 * field a string, a repeated field a list. Routes validate the body with
 * `FormBody` and read a field with `formField`; anything but a string
 * (a list, a missing field) reads as empty.
 */
import { Type } from 'typebox';

export const FormBody = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String())]));

export function formField(body: unknown, key: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? v : '';
}
