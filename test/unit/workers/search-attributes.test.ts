/** Workers register the search attributes themselves before polling; several may start at once. */
import { SearchAttributeType } from '@temporalio/common';
import { registerSearchAttributes, SearchAttributeSetupError } from '../../../workers/search-attributes';
import { SEARCH_ATTRIBUTES } from '../../../workflows/definitions';

/** An operator service over one namespace's custom attributes, as the server keeps them. */
function operatorOver(known: Record<string, number>, addBehaviour: 'add' | 'raceThenFail' | 'deny' = 'add') {
  const calls: Record<string, number>[] = [];
  return {
    calls,
    operatorService: {
      listSearchAttributes: async () => ({ customAttributes: { ...known } }),
      addSearchAttributes: async ({ searchAttributes }: { searchAttributes: Record<string, number> }) => {
        calls.push(searchAttributes);
        if (addBehaviour === 'deny') throw new Error('7 PERMISSION_DENIED: Request unauthorized.');
        Object.assign(known, searchAttributes);
        if (addBehaviour === 'raceThenFail') throw new Error('6 ALREADY_EXISTS: Search attribute BatchId already exists.');
      },
    },
  };
}

describe('registerSearchAttributes', () => {
  it('adds only the missing ones, and nothing when all are there', async () => {
    const known: Record<string, number> = { BatchId: 2 };
    const op = operatorOver(known);
    await registerSearchAttributes(op, 'default');
    expect(Object.keys(op.calls[0]).sort()).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name).filter((n) => n !== 'BatchId').sort());
    await registerSearchAttributes(op, 'default');
    expect(op.calls).toHaveLength(1);
  });

  it('another worker adding them first is not an error', async () => {
    const op = operatorOver({}, 'raceThenFail');
    await expect(registerSearchAttributes(op, 'default')).resolves.toBeUndefined();
  });

  it('a server that refuses names what is missing and the command to add it', async () => {
    const op = operatorOver({}, 'deny');
    const keys = [{ name: 'BatchStatus', type: SearchAttributeType.KEYWORD }, { name: 'PostedCount', type: SearchAttributeType.INT }];
    const err = await registerSearchAttributes(op, 'ledger', keys).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchAttributeSetupError);
    expect((err as Error).message).toContain('--namespace ledger --name BatchStatus --type Keyword --name PostedCount --type Int');
    expect((err as Error).message).toContain('PERMISSION_DENIED');
  });
});
