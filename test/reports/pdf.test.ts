// The shared PDF helper (api/pdf): a document described as data renders in the worker pool to A4 pages
// whose text (accents included) is what was asked, with the page breaks asked for.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import { closePdfPool, LOGO_MAX_BYTES, organisationLogo, renderPdf } from '../../api/pdf/render.ts';

const png = readFileSync(new URL('../../views/static/demo-logo.png', import.meta.url));

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
    // the footer on every page
    expect(text[0]).toContain('Gerado pelo Ouvidor');
    expect(text[1]).toContain('Gerado pelo Ouvidor');
  });

  it('takes a PNG logo from /static or http(s), and ignores what it cannot embed', async () => {
    expect((await organisationLogo('/static/demo-logo.png'))?.format).toBe('png');
    expect(await organisationLogo('/static/app.css')).toBeUndefined();
    expect(await organisationLogo('/static/../../package.json')).toBeUndefined();
    expect(await organisationLogo('ftp://example.org/logo.png')).toBeUndefined();
    expect(await organisationLogo(`data:image/png;base64,${png.toString('base64')}`)).toBeUndefined();

    // over http: the PNG is taken; a file over the limit (with or without Content-Length) and a 404 are not
    const server: Server = createServer((req, res) => {
      if (req.url === '/logo.png') return res.end(png);
      if (req.url === '/huge.png') return res.end(Buffer.concat([png, Buffer.alloc(LOGO_MAX_BYTES)]));
      if (req.url === '/huge-chunked.png') {
        res.write(png);
        res.write(Buffer.alloc(LOGO_MAX_BYTES));
        return res.end();
      }
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await organisationLogo(`${base}/logo.png`))?.format).toBe('png');
      expect(await organisationLogo(`${base}/huge.png`)).toBeUndefined();
      expect(await organisationLogo(`${base}/huge-chunked.png`)).toBeUndefined();
      expect(await organisationLogo(`${base}/missing.png`)).toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('embeds the logo as an image in the title block', async () => {
    const doc = { title: 'Relatório', organisation: 'Prefeitura de Exemplo', blocks: [] };
    const without = await renderPdf(doc);
    const withLogo = await renderPdf({ ...doc, logo: await organisationLogo('/static/demo-logo.png') });
    expect(without.toString('latin1')).not.toContain('/Subtype /Image');
    expect(withLogo.toString('latin1')).toContain('/Subtype /Image');
  });
});
