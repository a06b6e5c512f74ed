# This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""The files of casa_base's offline page toolkit (``static/offline/``, see
``doc/offline.rst``), served to the pages of every module under
``/<database_name>/casa/base/static/<path>``: ES modules as
``text/javascript``, revalidated at each load (``no-cache`` with their ETag)
so that a tablet gets a new release at once; a path outside ``static/`` (or
a file that is not there) is a 404."""
import mimetypes
import os

from werkzeug.exceptions import NotFound
from werkzeug.utils import send_from_directory

from trytond.wsgi import app

from .http_api import JSONError

STATIC = os.path.join(os.path.dirname(__file__), 'static')
PREFIX = '/<database_name>/casa/base'
# the browsers run an ES module only with a JavaScript MIME type; Python's
# table says application/javascript (before 3.12) or nothing
TYPES = {
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.html': 'text/html; charset=utf-8',
    }


def static_response(request, directory, filename):
    """The file of the directory as a response revalidated at each load, or
    a JSON 404 (unknown file, path leaving the directory)"""
    if '\\' in filename or '\0' in filename:
        raise JSONError(404, 'not_found', 'Not Found')
    try:
        response = send_from_directory(
            directory, filename, request.environ, max_age=0)
    except NotFound:
        raise JSONError(404, 'not_found', 'Not Found')
    extension = os.path.splitext(filename)[1].lower()
    content_type = TYPES.get(extension) or mimetypes.guess_type(
        filename)[0]
    if content_type:
        response.headers['Content-Type'] = content_type
    response.headers['Cache-Control'] = 'no-cache'
    response.headers['X-Content-Type-Options'] = 'nosniff'
    return response


@app.route(PREFIX + '/static/<path:filename>', methods=['GET', 'HEAD'])
def static(request, database_name, filename):
    return static_response(request, STATIC, filename)
