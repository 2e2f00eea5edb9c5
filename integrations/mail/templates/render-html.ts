/**
 * The HTML part: inline styles only (mail clients drop <style> blocks), every value escaped here
 * and nowhere else, links only to http(s) URLs.
 */
import type { Block, ReportDocument, Tone } from './document';

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const TONE_COLOURS: Record<Tone, { fg: string; bg: string }> = {
  info: { fg: '#1f3a5f', bg: '#e8f0fb' },
  success: { fg: '#1e5631', bg: '#e6f4ea' },
  warning: { fg: '#7a4b00', bg: '#fff4e0' },
  error: { fg: '#8a1c1c', bg: '#fdecea' },
};

const CELL = 'padding:4px 10px;border-bottom:1px solid #e2e2e2;';

function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : '#';
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'paragraph': {
      const tone = block.tone ? TONE_COLOURS[block.tone] : undefined;
      const style = tone ? ` style="color:${tone.fg};"` : '';
      return `<p${style}>${escapeHtml(block.text)}</p>`;
    }
    case 'facts':
      return (
        '<table style="border-collapse:collapse;margin:4px 0;">' +
        block.rows
          .map(([label, value]) => `<tr><th style="${CELL}text-align:left;font-weight:600;">${escapeHtml(label)}</th><td style="${CELL}">${escapeHtml(value)}</td></tr>`)
          .join('') +
        '</table>'
      );
    case 'table': {
      const align = (i: number) => (block.columns[i]?.align === 'right' ? 'right' : 'left');
      const head = block.columns.map((c, i) => `<th style="${CELL}text-align:${align(i)};background:#f5f5f5;">${escapeHtml(c.title)}</th>`).join('');
      const rows = block.rows
        .map((row) => '<tr>' + block.columns.map((_, i) => `<td style="${CELL}text-align:${align(i)};">${escapeHtml(row[i] ?? '')}</td>`).join('') + '</tr>')
        .join('');
      return `<table style="border-collapse:collapse;margin:4px 0;"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    case 'entries':
      return (
        '<ul style="padding-left:18px;">' +
        block.entries
          .map((entry) => {
            const colour = entry.tone ? TONE_COLOURS[entry.tone].fg : 'inherit';
            const lines = entry.lines.map(([label, value]) => `<div><strong>${escapeHtml(label)}:</strong> ${escapeHtml(value)}</div>`).join('');
            return `<li style="margin-bottom:8px;"><div style="font-weight:600;color:${colour};">${escapeHtml(entry.title)}</div>${lines}</li>`;
          })
          .join('') +
        '</ul>'
      );
    case 'link':
      return `<p><a href="${safeHref(block.url)}">${escapeHtml(block.label)}</a></p>`;
  }
}

export function renderHtml(doc: ReportDocument): string {
  const banner = TONE_COLOURS[doc.banner.tone];
  const sections = doc.sections
    .map((section) => `<h2 style="font-size:16px;margin:20px 0 6px;">${escapeHtml(section.heading)}</h2>${section.blocks.map(renderBlock).join('')}`)
    .join('');
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' +
    escapeHtml(doc.title) +
    '</title></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;">' +
    `<h1 style="font-size:20px;margin:0 0 8px;">${escapeHtml(doc.title)}</h1>` +
    `<p style="padding:8px 12px;color:${banner.fg};background:${banner.bg};">${escapeHtml(doc.banner.text)}</p>` +
    sections +
    '</body></html>\n'
  );
}
