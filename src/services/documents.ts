import type PdfPrinterType from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

/**
 * Renders pdfmake document definitions (built by `domain/documents`) to PDF bytes, with the standard 14 PDF fonts:
 * no font files to ship, WinAnsi text only (the documents replace what those fonts cannot show).
 */

const STANDARD_FONTS = {
  Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' },
};

let printer: PdfPrinterType | undefined;

/** pdfmake is loaded on the first export, not at server start. */
async function pdfPrinter(): Promise<PdfPrinterType> {
  if (!printer) {
    const { default: PdfPrinter } = await import('pdfmake');
    printer = new PdfPrinter(STANDARD_FONTS);
  }
  return printer;
}

export interface RenderOptions {
  /**
   * Compress the page content streams (the default, as the document says, else true). Tests render with `false`
   * to read the text back without inflating streams.
   */
  compress?: boolean;
}

/**
 * The PDF bytes of a document definition. The same definition (with `info.creationDate` set, as the conference
 * documents do from `generatedAt`) gives the same bytes. pdfmake annotates the definition's nodes while laying
 * it out: build a fresh definition for each render.
 */
export async function renderPdf(doc: TDocumentDefinitions, opts: RenderOptions = {}): Promise<Buffer> {
  const p = await pdfPrinter();
  const pdf = p.createPdfKitDocument({
    ...doc,
    defaultStyle: { font: 'Helvetica', ...doc.defaultStyle },
    compress: opts.compress ?? doc.compress ?? true,
  });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.end();
  });
}
