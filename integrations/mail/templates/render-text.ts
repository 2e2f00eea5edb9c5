/** The plain-text part: readable in a terminal (80 columns, aligned tables, no markup). */
import type { Block, ReportDocument } from './document';

const WIDTH = 78;

/**
 * Word-wraps text to `width`; the first line starts with `firstPrefix`, the others with `restPrefix`,
 * so a label's value lines up under itself.
 */
export function wrap(text: string, width: number, firstPrefix = '', restPrefix = firstPrefix): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = lines.length === 0 ? firstPrefix : restPrefix;
    let empty = true;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (!empty && line.length + 1 + word.length > width) {
        lines.push(line);
        line = restPrefix + word;
      } else {
        line = empty ? line + word : `${line} ${word}`;
      }
      empty = false;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

function labelled(rows: Array<[string, string]>, indent: string): string[] {
  const labelWidth = Math.max(0, ...rows.map(([label]) => label.length)) + 2;
  return rows.flatMap(([label, value]) => {
    const prefix = indent + `${label}:`.padEnd(labelWidth);
    return wrap(value, WIDTH, prefix, ' '.repeat(prefix.length));
  });
}

function table(block: Extract<Block, { type: 'table' }>): string[] {
  const widths = block.columns.map((column, i) =>
    Math.max(column.title.length, ...block.rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((cell, i) => (block.columns[i]?.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(block.columns.map((c) => c.title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...block.rows.map((row) => line(block.columns.map((_, i) => row[i] ?? ''))),
  ];
}

function renderBlock(block: Block): string[] {
  switch (block.type) {
    case 'paragraph':
      return wrap(block.text, WIDTH);
    case 'facts':
      return labelled(block.rows, '  ');
    case 'table':
      return table(block);
    case 'entries':
      return block.entries.flatMap((entry) => [
        ...wrap(entry.title, WIDTH, '  * ', '    '),
        ...labelled(entry.lines, '    '),
      ]);
    case 'link':
      // The URL on a line of its own, unwrapped, so terminals make it clickable.
      return [`${block.label}:`, `  ${block.url}`];
  }
}

export function renderText(doc: ReportDocument): string {
  const out: string[] = [doc.title, '='.repeat(Math.min(doc.title.length, WIDTH)), '', ...wrap(doc.banner.text, WIDTH)];
  for (const section of doc.sections) {
    out.push('', section.heading, '-'.repeat(Math.min(section.heading.length, WIDTH)));
    section.blocks.forEach((block, i) => {
      if (i > 0) out.push('');
      out.push(...renderBlock(block));
    });
  }
  return out.join('\n') + '\n';
}
