// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// Files a page gives the user (doc/offline.rst): the refused events of its
// outbox, say, as CSV or JSON for the office.

// a CSV cell (RFC 4180); a text a spreadsheet would take for a formula is
// quoted with an apostrophe
export function csvCell(value) {
    if (value === null || value === undefined) {
        return '';
    }
    var text = String(value);
    if (/^[=+@\t\r]/.test(text) || /^-[^0-9]/.test(text)) {
        text = "'" + text;
    }
    if (/[",\r\n]/.test(text)) {
        text = '"' + text.replace(/"/g, '""') + '"';
    }
    return text;
}

// the CSV of the rows (objects) in the columns' order, with a BOM (a
// spreadsheet then reads it as UTF-8) and CRLF line ends
export function toCSV(columns, rows) {
    var lines = [columns.join(',')].concat(rows.map(function (row) {
        return columns.map(function (column) {
            return csvCell(row[column]);
        }).join(',');
    }));
    return '\ufeff' + lines.join('\r\n') + '\r\n';
}

// the browser downloads the text as a file of the name
export function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], {type: type}));
    var link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
        URL.revokeObjectURL(url);
    }, 60000);
}
