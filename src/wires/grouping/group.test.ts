import { describe, expect, it } from 'vitest';
import { assignGroup, fingerprint, groupFor, WireGroupIndex, type GroupableItem } from './group.js';

const base: GroupableItem = {
  id: 1,
  guid: 'mp-1',
  provider: 'meridian',
  time: '2026-03-04T06:00:00Z',
  headline: 'Fire destroys warehouse in Port Halden docks',
  text: 'A fire destroyed a timber warehouse in the docks of Port Halden on Wednesday, the fire service said. Sixty firefighters fought the blaze for five hours. Fire chief Anna Velt said the cause was not known.',
};
const rewrite: GroupableItem = {
  id: 2,
  guid: 'nna-9',
  provider: 'northwind',
  time: '2026-03-04T07:00:00Z',
  headline: 'Blaze guts Port Halden dockside timber warehouse',
  text: 'Sixty firefighters spent five hours fighting a blaze that gutted a timber warehouse at the Port Halden docks on Wednesday. Fire chief Anna Velt said the cause was not yet known.',
};

describe('groupFor', () => {
  it('starts a group, joins a rewrite to it, and does not change the index by itself', () => {
    const index = new WireGroupIndex();
    expect(assignGroup(base, index)).toMatchObject({ kind: 'new', groupId: '1' });
    const d = groupFor(rewrite, index);
    expect(d).toMatchObject({ kind: 'similar', groupId: '1', matchedId: 1 });
    expect(index.size).toBe(1);
  });

  it('keeps the same text apart when it is further apart in time than the window', () => {
    const index = new WireGroupIndex({ windowMs: 3600_000 });
    assignGroup(base, index);
    expect(groupFor({ ...rewrite, time: '2026-03-04T08:00:01Z' }, index).kind).toBe('new');
    expect(groupFor({ ...rewrite, time: '2026-03-04T06:59:00Z' }, index).kind).toBe('similar');
  });

  it('puts every version of a guid in its group, even rewritten beyond recognition, but not another provider with the same guid', () => {
    const index = new WireGroupIndex();
    assignGroup(base, index, 'story-7');
    expect(assignGroup({ ...base, id: 3, text: 'Kill: withdraw this item.', headline: 'KILL', time: '2026-03-20T00:00:00Z' }, index)).toMatchObject({ kind: 'version', groupId: 'story-7', matchedId: 1 });
    expect(groupFor({ ...base, id: 4, provider: 'sahel', headline: 'Cup final tonight', text: 'Velmora play Castrano.' }, index).kind).toBe('new');
  });

  it('never groups items with no words, and accepts Date, ISO and epoch times', () => {
    const index = new WireGroupIndex();
    const empty = { ...base, headline: '…', text: '' };
    expect(fingerprint(empty).shingles.length).toBe(0);
    assignGroup({ ...empty, id: 10, guid: 'e1' }, index);
    expect(groupFor({ ...empty, id: 11, guid: 'e2' }, index).kind).toBe('new');
    assignGroup({ ...base, time: new Date(base.time as string) }, index);
    expect(groupFor({ ...rewrite, time: Date.parse(rewrite.time as string) }, index).kind).toBe('similar');
    expect(() => groupFor({ ...rewrite, time: 'yesterday' }, index)).toThrow(RangeError);
  });

  it('forgets removed items', () => {
    const index = new WireGroupIndex();
    assignGroup(base, index);
    expect(index.remove(1)).toBe(true);
    expect(groupFor(rewrite, index).kind).toBe('new');
  });
});
