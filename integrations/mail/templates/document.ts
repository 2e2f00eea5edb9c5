/**
 * A tiny report model that every template fills once and two renderers turn into the text and the
 * HTML part. Keeping one model means the two parts cannot drift apart, and escaping lives in one
 * place (the HTML renderer) instead of in every template.
 */

export type Tone = 'info' | 'success' | 'warning' | 'error';

export interface Column {
  title: string;
  align?: 'left' | 'right';
}

export type Block =
  | { type: 'paragraph'; text: string; tone?: Tone }
  /** Label/value pairs, e.g. "Batch: nightly-2026-11-23". */
  | { type: 'facts'; rows: Array<[label: string, value: string]> }
  | { type: 'table'; columns: Column[]; rows: string[][] }
  /** Titled entries with labelled lines, e.g. a failure with its reason and fix. */
  | { type: 'entries'; entries: Array<{ title: string; tone?: Tone; lines: Array<[label: string, value: string]> }> }
  | { type: 'link'; label: string; url: string };

export interface Section {
  heading: string;
  blocks: Block[];
}

export interface ReportDocument {
  title: string;
  /** One-line verdict shown under the title. */
  banner: { tone: Tone; text: string };
  sections: Section[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}
