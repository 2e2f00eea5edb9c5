/** Reading records by a list of values: ConnectWise `in (...)` conditions, kept short for the URL's length limit. */
import { chunk } from '../../domain/chunk';
import { cwIn } from './conditions';

export const IN_LIST_SIZE = 100;

/** Every record `read` returns for the values, asked for in `in (...)` lists of IN_LIST_SIZE. */
export async function readInLists<T>(values: ReadonlyArray<number | string>, read: (list: string) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunk([...new Set(values)], IN_LIST_SIZE)) out.push(...(await read(cwIn(part))));
  return out;
}
