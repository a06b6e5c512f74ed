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

(function() {
    'use strict';
    // the values of the axis of the charts with the grouping of the user's
    // language (1 200 000 in French), as sao writes the amounts of the
    // lists: sao gives billboard.js no format for them
    if (!window.Sao || !Sao.View || !Sao.View.Graph || !Sao.View.Graph.Chart) {
        return;
    }
    var chart = Sao.View.Graph.Chart.prototype;
    var bb_config = chart._bb_config;
    chart._bb_config = function(data) {
        var config = bb_config.call(this, data);
        if (this._chart_type == 'pie') {
            return config;
        }
        // the locale sao formats the numbers of the lists with
        var format = function(value) {
            return Number(value).toLocaleString(
                Sao.i18n.BC47(Sao.i18n.getlang()));
        };
        config.axis = config.axis || {};
        config.axis.y = config.axis.y || {};
        config.axis.y.tick = jQuery.extend(
            {format: format}, config.axis.y.tick);
        return config;
    };
}());
