import { describe, expect, it } from 'vitest';
import { agencyContributions, diffVersions, splitSentences } from './diff.js';

describe('splitting into sentences', () => {
  it('splits at sentence ends and line breaks, keeping closing quotes', () => {
    expect(splitSentences('He said: "It is over." Then he left! Why?\nNew paragraph')).toEqual(['He said: "It is over."', 'Then he left!', 'Why?', 'New paragraph']);
    expect(splitSentences('اندلع حريق. ولم ترد أنباء عن إصابات؟ نعم')).toEqual(['اندلع حريق.', 'ولم ترد أنباء عن إصابات؟', 'نعم']);
    expect(splitSentences('Rates rose to 4.5 percent.')).toEqual(['Rates rose to 4.5 percent.']);
  });
});

describe('diff of successive versions', () => {
  const v1 = {
    headline: 'Kessland central bank raises rates to 4.5%',
    text: 'The bank raised its rate to 4.5 percent on Thursday. Governor Milan Orsk said more rises were possible. Inflation stood at 6.2 percent in January.',
  };

  it('shows a corrected figure as a changed sentence with the words marked', () => {
    const v2 = { headline: 'CORRECTED-Kessland central bank raises rates to 4.5%', text: v1.text.replace('6.2', '6.4') };
    const d = diffVersions(v1, v2);
    expect(d.counts).toEqual({ added: 0, removed: 0, changed: 1, same: 2 });
    const changed = d.segments[2]!;
    expect(changed.kind).toBe('changed');
    if (changed.kind !== 'changed') return;
    expect(changed.parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['6.2']);
    expect(changed.parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['6.4']);
    expect(d.headline?.find((p) => p.kind === 'added')?.text).toContain('CORRECTED');
  });

  it('shows an inserted paragraph as added and a dropped one as removed, in reading order', () => {
    const v2 = {
      headline: v1.headline,
      text: 'The bank raised its rate to 4.5 percent on Thursday. The currency rose 1 percent after the decision. Governor Milan Orsk said more rises were possible.',
    };
    const d = diffVersions(v1, v2);
    expect(d.headline).toBeNull();
    expect(d.segments.map((s) => s.kind)).toEqual(['same', 'added', 'same', 'removed']);
    expect(d.segments[1]).toEqual({ kind: 'added', text: 'The currency rose 1 percent after the decision.' });
  });

  it('says nothing changed for identical versions', () => {
    expect(diffVersions(v1, v1).counts).toEqual({ added: 0, removed: 0, changed: 0, same: 3 });
  });
});

describe("what each agency's version adds", () => {
  it('marks the sentences and words only one agency has', () => {
    const [a, b] = agencyContributions([
      { id: 1, provider: 'meridian', headline: 'Fire destroys Port Halden warehouse', text: 'A fire destroyed a timber warehouse in Port Halden on Wednesday. Sixty firefighters fought it for five hours.' },
      {
        id: 2,
        provider: 'northwind',
        headline: 'Blaze guts Port Halden warehouse',
        text: 'Sixty firefighters spent five hours on a blaze that destroyed a Port Halden warehouse. The eastern ring road was closed because of smoke.',
      },
    ]);
    expect(b!.adds).toEqual(['The eastern ring road was closed because of smoke.']);
    expect(a!.adds).toEqual([]);
    // Within a shared sentence, the details the other agency left out are marked ("blaze" there, "fire" here).
    const novel = a!.sentences[0]!.parts.filter((p) => p.novel).map((p) => p.text.trim());
    expect(novel).toEqual(['fire', 'timber', 'Wednesday.']);
    expect(a!.sentences[0]!.parts.map((p) => p.text).join('')).toBe(a!.sentences[0]!.text);
  });
});

describe('diffs on the written examples', () => {
  it("shows what an agency's update added to its own story", async () => {
    const fs = await import('node:fs');
    const { pairs } = JSON.parse(fs.readFileSync(new URL('../../../test/fixtures/wires/grouping/examples.json', import.meta.url), 'utf8')) as {
      pairs: Array<{ name: string; a: { headline: string; text: string }; b: { headline: string; text: string } }>;
    };
    const update = pairs.find((p) => p.name === 'successive versions: layoffs story with added detail')!;
    const d = diffVersions(update.a, update.b);
    expect(d.counts).toEqual({ added: 1, removed: 0, changed: 0, same: 3 });
    expect(d.segments.find((s) => s.kind === 'added')).toEqual({ kind: 'added', text: "The engineers' union called the plan a betrayal and said it would ballot members on a strike." });
    expect(d.headline).toEqual([
      { kind: 'removed', text: 'Brightloom ' },
      { kind: 'added', text: 'UPDATE 1-Brightloom ' },
      { kind: 'same', text: 'to cut 2,000 ' },
      { kind: 'removed', text: 'jobs as phone sales slump' },
      { kind: 'added', text: 'jobs, union threatens strike' },
    ]);
  });
});
