# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Read what a report returned, to look for what must not be there: the
text of an XLSX workbook (every XML part of the archive), of a PDF written
by LibreOffice (the strings its pages show) and of an ODT."""
import io
import re
import zipfile
import zlib

__all__ = ['report_text', 'xlsx_text', 'pdf_text']


def xlsx_text(content):
    "The XML of every part of an XLSX (or ODT) archive, as one string"
    archive = zipfile.ZipFile(io.BytesIO(content))
    return '\n'.join(
        archive.read(name).decode('utf-8', 'replace')
        for name in archive.namelist() if name.endswith('.xml'))


def _stream(body):
    match = re.search(rb'stream\r?\n(.*?)\r?\nendstream', body, re.S)
    if not match:
        return b''
    data = match.group(1)
    if b'/FlateDecode' in body.split(b'stream', 1)[0]:
        data = zlib.decompressobj().decompress(data)
    return data


def _cmap(data):
    "{code in hexadecimal: text} of a ToUnicode CMap"
    mapping = {}
    for block in re.findall(rb'beginbfchar(.*?)endbfchar', data, re.S):
        for source, target in re.findall(
                rb'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>', block):
            mapping[source.decode().upper()] = bytes.fromhex(
                target.decode()).decode('utf-16-be', 'replace')
    for block in re.findall(rb'beginbfrange(.*?)endbfrange', data, re.S):
        for low, high, target in re.findall(
                rb'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>',
                block):
            width = len(low)
            first = int(target, 16)
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping['%0*X' % (width, code)] = chr(first + i)
    return mapping


def pdf_text(content):
    """The text shown on the pages of a PDF written by LibreOffice, a line
    per text object (its fonts carry a ToUnicode map)"""
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(
            rb'(\d+) 0 obj(.*?)endobj', content, re.S)}
    fonts = {}
    for number, body in objects.items():
        match = re.search(rb'/ToUnicode (\d+) 0 R', body)
        if match:
            fonts[number] = _cmap(_stream(objects[int(match.group(1))]))
    names = {}
    for body in objects.values():
        for name, number in re.findall(rb'/(F\d+) (\d+) 0 R', body):
            names[name] = int(number)
    lines = []
    token = re.compile(
        rb'/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)>|\b(ET)\b')
    for body in objects.values():
        if b'stream' not in body or b'/Length1' in body:
            continue
        data = _stream(body)
        if b' Tf' not in data:
            continue
        mapping, current = {}, []
        for match in token.finditer(data):
            if match.group(1):
                mapping = fonts.get(names.get(match.group(1)), {})
            elif match.group(2) is not None:
                code = match.group(2).decode().upper()
                size = max((len(k) for k in mapping), default=2)
                current.append(''.join(mapping.get(code[i:i + size], '?')
                        for i in range(0, len(code), size)))
            elif current:
                lines.append(''.join(current))
                current = []
        if current:
            lines.append(''.join(current))
    return '\n'.join(lines)


def report_text(extension, content):
    "The text of what a report returned, by its extension"
    if isinstance(content, str):
        return content
    if extension == 'pdf':
        return pdf_text(bytes(content))
    if extension in {'xlsx', 'odt', 'ods', 'docx'}:
        return xlsx_text(bytes(content))
    return bytes(content).decode('utf-8', 'replace')
