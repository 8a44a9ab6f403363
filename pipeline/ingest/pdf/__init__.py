"""PDF bulletins with pdfplumber: chars → lines → paragraphs, bold runs kept, furniture dropped.

One module a stage: ``chars`` (chars with render mode and overprint counts), ``fonts`` (which
chars are bold), ``lines`` (lines), ``tables`` (ruled tables and rules), ``layout`` (headers,
footers, page numbers, margins), ``blocks`` (paragraphs), ``line_tables`` (tables that the text
a PDF was made from kept only as lines) and ``reader`` (the file, the stages in order, errors).
"""

from pipeline.ingest.pdf.reader import read_pdf

__all__ = ["read_pdf"]
