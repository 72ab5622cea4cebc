// Runs in a worker thread of the PDF pool (api/pdf/render.ts), never on the main event loop: turns a plain
// document description (headings, paragraphs, figures, tables, bars) into a print-quality A4 PDF with
// @react-pdf/renderer. Shared by the reports area (management and annual reports) and the people area
// (LGPD export). Loaded by Node directly (type stripping): erasable TypeScript, no JSX (createElement).
import { Document, Image, Page, renderToBuffer, StyleSheet, Text, View } from '@react-pdf/renderer';
import { createElement as h, type ReactElement } from 'react';

/** One block of a PDF document, in reading order. Texts are plain (no markup). */
export type PdfBlock =
  | { type: 'heading'; text: string; level?: 1 | 2 }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] }
  /** headline figures: a label and its value, side by side */
  | { type: 'figures'; items: { label: string; value: string }[] }
  /** a table; `widths` are relative column widths (default: first column 3, others 1) */
  | { type: 'table'; headers: string[]; rows: string[][]; widths?: number[] }
  /** horizontal bars: a simple chart that prints well */
  | { type: 'bars'; items: { label: string; value: number; display?: string }[] }
  | { type: 'pageBreak' };

/** A PDF document: title block (organisation name and logo), blocks, footer on every page. */
export type PdfDocument = {
  title: string;
  subtitle?: string;
  organisation?: string;
  /** PNG or JPEG bytes of the organisation's logo */
  logo?: { data: Uint8Array; format: 'png' | 'jpg' };
  /** document metadata and footer (e.g. "Gerado em 30/11/2026 pelo Ouvidor") */
  author?: string;
  footer?: string;
  language?: string;
  blocks: PdfBlock[];
};

const ink = '#1f2933';
const accent = '#1d4f91';
const s = StyleSheet.create({
  page: {
    paddingTop: 48,
    paddingBottom: 56,
    paddingHorizontal: 48,
    fontSize: 10,
    fontFamily: 'Helvetica',
    color: ink,
    lineHeight: 1.4,
  },
  header: {
    flexDirection: 'row',
    alignItems: 'center',
    marginBottom: 18,
    borderBottomWidth: 2,
    borderBottomColor: accent,
    paddingBottom: 10,
  },
  logo: { width: 64, height: 64, objectFit: 'contain', marginRight: 14 },
  org: { fontSize: 12, lineHeight: 1.3, fontFamily: 'Helvetica-Bold', color: ink, marginBottom: 2 },
  title: { fontSize: 18, lineHeight: 1.25, fontFamily: 'Helvetica-Bold', color: accent, marginBottom: 2 },
  subtitle: { fontSize: 11, lineHeight: 1.3, color: '#52606d' },
  h1: {
    fontSize: 14,
    lineHeight: 1.3,
    fontFamily: 'Helvetica-Bold',
    color: accent,
    marginTop: 14,
    marginBottom: 6,
  },
  h2: { fontSize: 11, lineHeight: 1.3, fontFamily: 'Helvetica-Bold', marginTop: 10, marginBottom: 4 },
  p: { marginBottom: 6, textAlign: 'justify' },
  li: { flexDirection: 'row', marginBottom: 3 },
  bullet: { width: 12 },
  figures: { flexDirection: 'row', flexWrap: 'wrap', marginVertical: 6 },
  figure: { width: '25%', paddingRight: 8, marginBottom: 8 },
  figureValue: {
    fontSize: 16,
    lineHeight: 1.25,
    fontFamily: 'Helvetica-Bold',
    color: accent,
    marginBottom: 2,
  },
  figureLabel: { fontSize: 8, lineHeight: 1.3, color: '#52606d' },
  table: { marginVertical: 6, borderTopWidth: 1, borderTopColor: '#cbd2d9' },
  row: { flexDirection: 'row', borderBottomWidth: 0.5, borderBottomColor: '#cbd2d9' },
  th: { fontFamily: 'Helvetica-Bold', fontSize: 8.5, padding: 3, backgroundColor: '#f0f4f8' },
  td: { fontSize: 8.5, padding: 3 },
  barRow: { flexDirection: 'row', alignItems: 'center', marginBottom: 3 },
  barLabel: { width: '35%', fontSize: 8.5, paddingRight: 6 },
  barTrack: { width: '50%', height: 9, backgroundColor: '#f0f4f8' },
  bar: { height: 9, backgroundColor: accent },
  barValue: { width: '15%', fontSize: 8.5, paddingLeft: 6 },
  footer: {
    position: 'absolute',
    bottom: 24,
    left: 48,
    right: 48,
    flexDirection: 'row',
    justifyContent: 'space-between',
    fontSize: 8,
    color: '#7b8794',
  },
});

function block(b: PdfBlock, i: number): ReactElement | null {
  switch (b.type) {
    case 'heading':
      return h(Text, { key: i, style: b.level === 2 ? s.h2 : s.h1, minPresenceAhead: 40 }, b.text);
    case 'paragraph':
      return h(Text, { key: i, style: s.p }, b.text);
    case 'list':
      return h(
        View,
        { key: i },
        b.items.map((item, j) =>
          h(
            View,
            { key: j, style: s.li, wrap: false },
            h(Text, { style: s.bullet }, '•'),
            h(Text, { style: { flex: 1 } }, item),
          ),
        ),
      );
    case 'figures':
      return h(
        View,
        { key: i, style: s.figures, wrap: false },
        b.items.map((f, j) =>
          h(
            View,
            { key: j, style: s.figure },
            h(Text, { style: s.figureValue }, f.value),
            h(Text, { style: s.figureLabel }, f.label),
          ),
        ),
      );
    case 'table': {
      const widths = b.widths ?? b.headers.map((_, j) => (j === 0 ? 3 : 1));
      // numbers (counts, percentages, days, "—") align right; text columns align left
      const numeric = b.headers.map(
        (_, j) => j > 0 && b.rows.every((r) => /^([-+]?[\d.,]+%?|—|<\d+)$/.test(r[j] ?? '')),
      );
      const cell = (text: string, j: number, style: typeof s.td) =>
        h(
          Text,
          { key: j, style: [style, { flex: widths[j] ?? 1, textAlign: numeric[j] ? 'right' : 'left' }] },
          text,
        );
      return h(
        View,
        { key: i, style: s.table },
        h(
          View,
          { style: s.row, fixed: true },
          b.headers.map((t, j) => cell(t, j, s.th)),
        ),
        b.rows.map((r, k) =>
          h(
            View,
            { key: k, style: s.row, wrap: false },
            r.map((t, j) => cell(t, j, s.td)),
          ),
        ),
      );
    }
    case 'bars': {
      const max = Math.max(1, ...b.items.map((x) => x.value));
      return h(
        View,
        { key: i, style: { marginVertical: 6 } },
        b.items.map((x, j) =>
          h(
            View,
            { key: j, style: s.barRow, wrap: false },
            h(Text, { style: s.barLabel }, x.label),
            h(
              View,
              { style: s.barTrack },
              h(View, { style: [s.bar, { width: `${Math.round((100 * x.value) / max)}%` }] }),
            ),
            h(Text, { style: s.barValue }, x.display ?? String(x.value)),
          ),
        ),
      );
    }
    case 'pageBreak':
      return h(View, { key: i, break: true });
    default:
      return null;
  }
}

function tree(doc: PdfDocument): ReactElement {
  const logo = doc.logo
    ? h(Image, { style: s.logo, src: { data: Buffer.from(doc.logo.data), format: doc.logo.format } })
    : null;
  return h(
    Document,
    {
      title: doc.title,
      author: doc.author ?? doc.organisation ?? 'Ouvidor',
      language: doc.language ?? 'pt-BR',
      creator: 'Ouvidor',
    },
    h(
      Page,
      { size: 'A4', style: s.page, wrap: true },
      h(
        View,
        { style: s.header },
        logo,
        h(
          View,
          { style: { flex: 1 } },
          doc.organisation ? h(Text, { style: s.org }, doc.organisation) : null,
          h(Text, { style: s.title }, doc.title),
          doc.subtitle ? h(Text, { style: s.subtitle }, doc.subtitle) : null,
        ),
      ),
      doc.blocks.map(block),
      // The footer on every page. No page number: a `render` Text (the only way to print one) is dropped
      // by @react-pdf 4.9 whenever the page sets a lineHeight, and the whole footer with it.
      h(View, { style: s.footer, fixed: true }, h(Text, null, doc.footer ?? '')),
    ),
  );
}

/** Worker entry: the PDF bytes of `doc`. */
export default async function renderPdfDocument(doc: PdfDocument): Promise<Uint8Array> {
  const buffer = await renderToBuffer(tree(doc) as Parameters<typeof renderToBuffer>[0]);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
