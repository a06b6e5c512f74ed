// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The JSON client of an offline page to its device API (doc/offline.rst):
// the device key as a bearer, the page's language for the server's texts
// (Accept-Language), a time limit.  A request resolves to {status, data,
// retryAfter} for every answer below 500 (a 4xx is an answer: the page
// reads it), and rejects with a NetworkError when the server cannot be
// reached, does not answer in time or answers 5xx; onReachable(status,
// result) and onUnreachable(error) tell the page whether it is online.

export function NetworkError(message, status) {
    this.name = 'NetworkError';
    this.message = message;
    this.status = status || null;
}

// options: base (URL the routes are relative to), key() and lang()
// (read at each request), timeout (ms), onReachable, onUnreachable
export function createClient(options) {
    var timeout = options.timeout || 8000;
    var onReachable = options.onReachable || function () {};
    var onUnreachable = options.onUnreachable || function () {};

    // key: another key than the page's (checking a key typed)
    return function request(method, route, body, key) {
        var headers = {
            'Accept': 'application/json',
            'Accept-Language': options.lang(),
            'Authorization': 'Bearer ' + (key || options.key() || '')
        };
        var init = {method: method, headers: headers, cache: 'no-store',
            credentials: 'omit'};
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        var controller = window.AbortController ? new AbortController()
            : null;
        var timer = null;
        if (controller) {
            init.signal = controller.signal;
            timer = setTimeout(function () {
                controller.abort();
            }, timeout);
        }
        return fetch(options.base + route, init).then(function (response) {
            return response.text().then(function (text) {
                var data = null;
                try {
                    data = text ? JSON.parse(text) : null;
                } catch (e) {
                    data = {message: text.slice(0, 200)};
                }
                if (response.status >= 500) {
                    throw new NetworkError(
                        (data && data.message) || response.statusText,
                        response.status);
                }
                return {status: response.status, data: data || {},
                    retryAfter: response.headers.get('Retry-After')};
            });
        }, function (error) {
            throw new NetworkError(String(error && error.message || error));
        }).then(function (result) {
            clearTimeout(timer);
            onReachable(result.status, !key || key === options.key());
            return result;
        }, function (error) {
            clearTimeout(timer);
            if (!(error instanceof NetworkError)) {
                error = new NetworkError(String(error && error.message
                    || error));
            }
            onUnreachable(error);
            throw error;
        });
    };
}
