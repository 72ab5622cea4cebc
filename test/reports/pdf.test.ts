// The shared PDF helper (api/pdf): a document described as data renders in the worker pool to A4 pages
// whose text (accents included) is what was asked, with the page breaks asked for.
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import { closePdfPool, organisationLogo, renderPdf } from '../../api/pdf/render.ts';

afterAll(() => closePdfPool());

describe('renderPdf', () => {
  it('renders headings, figures, tables, bars and a page break with Portuguese text', async () => {
    const pdf = await renderPdf({
      title: 'Relatório anual 2026',
      subtitle: 'Lei 13.460/2017, arts. 14 e 15',
      organisation: 'Prefeitura de Exemplo',
      footer: 'Gerado pelo Ouvidor',
      blocks: [
        { type: 'heading', text: 'Números do ano' },
        { type: 'figures', items: [{ label: 'Recebidas', value: '1234' }] },
        { type: 'paragraph', text: 'Ação, informação e participação.' },
        { type: 'table', headers: ['Tipo', 'Recebidas'], rows: [['Reclamação', '10']] },
        { type: 'bars', items: [{ label: 'Obras', value: 10 }] },
        { type: 'pageBreak' },
        { type: 'list', items: ['Medida adotada'] },
      ],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    const { totalPages, text } = await extractText(doc, { mergePages: false });
    expect(totalPages).toBe(2);
    expect(text[0]).toContain('Prefeitura de Exemplo');
    expect(text[0]).toContain('Reclamação 10');
    expect(text[0]).toContain('Ação, informação e participação.');
    expect(text[1]).toContain('Medida adotada');
  });

  it('takes a PNG logo from /static and ignores what it cannot embed', async () => {
    expect(await organisationLogo('/static/app.css')).toBeUndefined();
    expect(await organisationLogo('/static/../../package.json')).toBeUndefined();
    expect(await organisationLogo('ftp://example.org/logo.png')).toBeUndefined();
  });
});
