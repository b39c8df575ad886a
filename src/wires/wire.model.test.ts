import { describe, expect, it } from 'vitest';
import { deriveSignal, normalizeDate, normalizeLanguage, normalizePubStatus, normalizeSubjectCode, normalizeUrgency, normalizeVersion, WireItemError } from './wire.model.js';

describe('wire item normalization', () => {
  it('keeps urgency 1–9 and drops anything else with a warning', () => {
    const w: string[] = [];
    expect([1, '9', ' 4 ', 0, 10, 2.5, 'high', null, undefined].map((u) => normalizeUrgency(u, w))).toEqual([1, 9, 4, null, null, null, null, null, null]);
    expect(w).toHaveLength(4);
  });

  it('canonicalizes BCP 47 tags and drops invalid ones', () => {
    const w: string[] = [];
    expect(['en', 'EN_gb', 'fr-ca', 'zh-hant-tw', 'not a tag', 42].map((l) => normalizeLanguage(l, w))).toEqual(['en', 'en-GB', 'fr-CA', 'zh-Hant-TW', null, null]);
    expect(w).toHaveLength(2);
  });

  it('reads ISO 8601 (extended, basic, without a zone) and RFC 822 dates as UTC', () => {
    const w: string[] = [];
    expect(normalizeDate('2026-04-12T12:30:00+02:00', 'd', w)).toBe('2026-04-12T10:30:00.000Z');
    expect(normalizeDate('20260412T0645Z', 'd', w)).toBe('2026-04-12T06:45:00.000Z');
    expect(normalizeDate('20260412T064500-0500', 'd', w)).toBe('2026-04-12T11:45:00.000Z');
    expect(normalizeDate('20260412', 'd', w)).toBe('2026-04-12T00:00:00.000Z');
    expect(normalizeDate('2026-04-12T06:45:00', 'd', w)).toBe('2026-04-12T06:45:00.000Z');
    expect(normalizeDate('Sun, 12 Apr 2026 09:00:00 +0100', 'd', w)).toBe('2026-04-12T08:00:00.000Z');
    expect(w).toEqual([]);
    expect(normalizeDate('soon', 'embargoed', w)).toBeNull();
    expect(w).toEqual(['embargoed "soon" is not a date; ignored']);
  });

  it('reads IPTC Media Topic and Subject Code URIs as qcodes', () => {
    expect(normalizeSubjectCode('http://cv.iptc.org/newscodes/mediatopic/20000523')).toBe('medtop:20000523');
    expect(normalizeSubjectCode('https://cv.iptc.org/newscodes/subjectcode/03005000/')).toBe('subj:03005000');
    expect(normalizeSubjectCode('MEDTOP:09000000')).toBe('medtop:09000000');
    expect(normalizeSubjectCode('geo:port-averell')).toBe('geo:port-averell');
    expect(normalizeSubjectCode('  ')).toBeNull();
  });

  it('reads publication status with or without the stat: prefix', () => {
    const w: string[] = [];
    expect(['stat:usable', 'withheld', 'stat:canceled', 'cancelled', undefined].map((s) => normalizePubStatus(s, w))).toEqual(['usable', 'withheld', 'canceled', 'canceled', 'usable']);
    expect(normalizePubStatus('draft', w)).toBe('usable');
    expect(w).toHaveLength(1);
  });

  it('rejects an item whose version is not a whole number, since the version decides what is new', () => {
    expect(normalizeVersion(undefined, 'g')).toBe(1);
    expect(normalizeVersion('3', 'g')).toBe(3);
    expect(() => normalizeVersion('2.1', 'g')).toThrow(WireItemError);
    expect(() => normalizeVersion(0, 'g')).toThrow(/not a whole number/);
  });

  it('derives the signal: kill over correction over update; a later version without a signal is an update', () => {
    expect(deriveSignal({ pubStatus: 'usable', version: 1 })).toEqual({ signal: null, previousVersion: null });
    expect(deriveSignal({ pubStatus: 'usable', version: 3 })).toEqual({ signal: 'update', previousVersion: 2 });
    expect(deriveSignal({ pubStatus: 'usable', version: 3, correction: true, update: true, previousVersion: 1 })).toEqual({ signal: 'correction', previousVersion: 1 });
    expect(deriveSignal({ pubStatus: 'canceled', version: 2, correction: true })).toEqual({ signal: 'kill', previousVersion: 1 });
    expect(deriveSignal({ pubStatus: 'withheld', version: 1 })).toEqual({ signal: null, previousVersion: null });
  });
});
