/**
 * Registers the project's search attributes on a namespace that does not know them yet. Every worker
 * runs it before polling (and `npm start`, tests), so any deployment works on a fresh server: a
 * workflow that upserts an unknown attribute would fail its workflow tasks forever.
 * Idempotent and safe when several workers start at once: an attribute another process added
 * meanwhile counts as registered.
 */
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/definitions';

const INDEXED = temporal.api.enums.v1.IndexedValueType;

const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: INDEXED.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.TEXT]: INDEXED.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.INT]: INDEXED.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: INDEXED.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: INDEXED.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: INDEXED.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: INDEXED.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The Temporal CLI's spelling of each type. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

type OperatorService = {
  listSearchAttributes(req: { namespace: string }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
  addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> }): Promise<unknown>;
};

export class SearchAttributeSetupError extends Error {
  override name = 'SearchAttributeSetupError';
}

type Key = { name: string; type: SearchAttributeType };

async function missingOn(operator: OperatorService, namespace: string, keys: ReadonlyArray<Key>): Promise<Key[]> {
  // Servers that cannot list (the time-skipping test server) still accept the add.
  const existing = await operator.listSearchAttributes({ namespace }).catch(() => undefined);
  const known = new Set(Object.keys(existing?.customAttributes ?? {}));
  return keys.filter((k) => !known.has(k.name));
}

export async function registerSearchAttributes(
  connection: { operatorService: OperatorService },
  namespace: string,
  keys: ReadonlyArray<Key> = SEARCH_ATTRIBUTES,
): Promise<void> {
  const operator = connection.operatorService;
  const missing = await missingOn(operator, namespace, keys);
  if (missing.length === 0) return;
  try {
    await operator.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED_TYPE[k.type]])),
    });
  } catch (err) {
    // Another worker may have added them first ("already exists"); only what is still missing matters.
    const still = await missingOn(operator, namespace, keys);
    if (still.length === 0) return;
    throw new SearchAttributeSetupError(
      `Search attributes ${still.map((k) => k.name).join(', ')} are missing on namespace "${namespace}" and could not be added ` +
        `(${(err as Error).message}). Add them once with an admin identity, e.g. ` +
        `temporal operator search-attribute create --namespace ${namespace} ${still.map((k) => `--name ${k.name} --type ${CLI_TYPE[k.type]}`).join(' ')}`,
    );
  }
}
