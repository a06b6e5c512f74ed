// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The texts of an offline page in its languages (doc/offline.rst), right to
// left for Arabic: texts is {lang: {key: text, _dir: 'ltr'|'rtl', _locale,
// _name}}, {name} in a text is replaced by a value.  apply() sets the
// language and direction of the page and fills the nodes marked
// data-i18n (text), data-i18n-title, data-i18n-aria (aria-label); say()
// shows a message that is told again in the new language when the
// language changes.

var RTL = ['ar', 'fa', 'he', 'ur'];

export function isRTL(lang) {
    return RTL.indexOf(String(lang || '').slice(0, 2)) >= 0;
}

// the first of the browser's languages the page has, else fallback
export function browserLang(langs, fallback, languages) {
    languages = languages || navigator.languages
        || [navigator.language || fallback];
    for (var i = 0; i < languages.length; i++) {
        var code = String(languages[i]).slice(0, 2).toLowerCase();
        if (langs.indexOf(code) >= 0) {
            return code;
        }
    }
    return fallback;
}

// options: texts, langs (first: the fallback of a missing text), store
// (the language chosen is remembered under 'lang'), root (document)
export function createI18n(options) {
    var texts = options.texts;
    var langs = options.langs || Object.keys(texts);
    var fallback = options.fallback || langs[0];
    var store = options.store || null;
    var root = options.root || document;
    var listeners = [];
    var lang = (store && store.get('lang', null))
        || browserLang(langs, fallback);
    if (langs.indexOf(lang) < 0) {
        lang = fallback;
    }

    function t(key, values) {
        var text = texts[lang][key];
        if (text === undefined) {
            text = texts[fallback][key];
        }
        if (text === undefined) {
            text = key;
        }
        if (values) {
            text = text.replace(/\{(\w+)\}/g, function (all, name) {
                return values[name] === undefined ? all : values[name];
            });
        }
        return text;
    }

    function dir() {
        return texts[lang]._dir || (isRTL(lang) ? 'rtl' : 'ltr');
    }

    // the message of the node, told again at each change of language:
    // fill(node) fills it (null: nothing to say)
    function say(node, fill) {
        node.casaSay = fill || null;
        if (fill) {
            node.setAttribute('data-say', '');
            fill(node);
        } else {
            node.removeAttribute('data-say');
            node.textContent = '';
        }
    }

    // the filler of the text of key with its values, in the language
    function text(key, values) {
        return function (node) {
            node.textContent = t(key, values);
        };
    }

    // the filler of a text from the server, as it came
    function raw(message) {
        return function (node) {
            node.textContent = message;
        };
    }

    function apply() {
        var html = root.documentElement;
        html.lang = lang;
        html.dir = dir();
        root.querySelectorAll('[data-i18n]').forEach(function (node) {
            node.textContent = t(node.getAttribute('data-i18n'));
        });
        root.querySelectorAll('[data-i18n-title]').forEach(function (node) {
            node.title = t(node.getAttribute('data-i18n-title'));
        });
        root.querySelectorAll('[data-i18n-aria]').forEach(function (node) {
            node.setAttribute('aria-label',
                t(node.getAttribute('data-i18n-aria')));
        });
        root.querySelectorAll('[data-say]').forEach(function (node) {
            if (node.casaSay) {
                node.casaSay(node);
            }
        });
    }

    // false when it is the language already (or not one of the page's)
    function setLang(code) {
        if (langs.indexOf(code) < 0 || code === lang) {
            return false;
        }
        lang = code;
        if (store) {
            store.set('lang', code);
        }
        apply();
        listeners.forEach(function (listener) {
            listener(code);
        });
        return true;
    }

    return {
        t: t, say: say, text: text, raw: raw, apply: apply,
        setLang: setLang, dir: dir, langs: langs, texts: texts,
        lang: function () {
            return lang;
        },
        locale: function () {
            return texts[lang]._locale || lang;
        },
        onChange: function (listener) {
            listeners.push(listener);
        }
    };
}
