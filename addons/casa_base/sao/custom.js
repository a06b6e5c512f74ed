/* This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
   level of this repository contains the full copyright notices and license
   terms.

   sao loads custom.js from its web root after itself: `make setup` links this
   file there (addons/casa_base/doc/translations.rst). */
(function() {
    'use strict';
    // Arabic as written in Morocco: dates and times in Western digits, not in
    // the Arabic-Indic digits of moment's "ar" locale (sao formats dates and
    // times with moment, in the user's language)
    if (window.moment && moment.locales().includes('ar')) {
        var current = moment.locale();
        moment.updateLocale('ar', {
            preparse: function(string) {
                return string;
            },
            postformat: function(string) {
                return string;
            },
        });
        moment.locale(current);
    }
}());
