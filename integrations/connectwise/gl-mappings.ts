/** The GL Accounts setup table's wire rows as the GL engine's mapping rows (segment 1 = account, 2 = class). */
import { ACCOUNT_TYPE_CODES, type AccountType, type GlMapping, type MappedType } from '../../domain/gl/types';
import type { GlAccount } from './schemas/finance';

const ACCOUNT_TYPE_BY_CODE = Object.fromEntries(
  Object.entries(ACCOUNT_TYPE_CODES).map(([name, code]) => [code, name]),
) as Record<string, AccountType>;

const present = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function glAccountsToMappings(rows: ReadonlyArray<GlAccount | Record<string, unknown>>): GlMapping[] {
  return rows.map((row) => {
    const r = row as Record<string, unknown> & { mappedType: { name?: string }; mappedRecord: { name?: string } };
    return {
      accountType: ACCOUNT_TYPE_BY_CODE[r.glType as string] ?? (r.glType as AccountType),
      mappedType: (r.mappedType.name ?? '') as MappedType,
      mappedRecord: r.mappedRecord.name ?? '',
      account: present(r.segment1),
      class: present(r.segment2),
      productId: present(r.productId),
      inventory: present(r.inventory),
      cogs: present(r.cogs1),
      salesCode: present(r.salesCode),
    };
  });
}
