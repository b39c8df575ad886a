import { describe, expect, it } from 'vitest';
import { MAX_RESTART_DELAY_MS, parseWorkerCount, restartDelayMs } from './cluster.js';

describe('--workers', () => {
  it('takes 1 to 64, or auto (one per CPU, at most 64)', () => {
    expect(parseWorkerCount('1')).toBe(1);
    expect(parseWorkerCount('64')).toBe(64);
    expect(parseWorkerCount('auto', 2)).toBe(2);
    expect(parseWorkerCount('auto', 200)).toBe(64);
  });

  it.each(['0', '65', '-2', '2.5', 'two', ''])('refuses %j clearly', (raw) => {
    expect(() => parseWorkerCount(raw)).toThrow(/--workers must be a whole number from 1 to 64, or "auto"/);
  });
});

describe('replacing a worker that died', () => {
  it('is at once after a worker that served a while, and doubles for each quick death in a row, up to a cap', () => {
    expect(restartDelayMs(0)).toBe(0);
    expect([1, 2, 3, 4].map(restartDelayMs)).toEqual([250, 500, 1000, 2000]);
    expect(restartDelayMs(30)).toBe(MAX_RESTART_DELAY_MS);
  });
});
