// This file is part of Casa Prestations ERP.  The COPYRIGHT file at the top
// level of this repository contains the full copyright notices and license
// terms.
//
// The texts of the kiosk in French (first), Arabic (right to left) and
// English.  {name} is replaced by a value.  Every language has every key
// (tests/browser/test_kiosk.py checks it).
(function (root) {
    'use strict';

    var I18N = {
        fr: {
            _name: 'Français',
            _dir: 'ltr',
            _locale: 'fr',
            app_title: 'Contrôle d’accès',
            language: 'Langue',
            label_value: '{label} : {value}',

            key_title: 'Clé du poste de contrôle',
            key_help: 'Saisissez la clé d’application remise par '
                + 'l’administrateur. Elle reste enregistrée sur cet appareil.',
            key_label: 'Clé d’application',
            key_submit: 'Valider',
            key_cancel: 'Annuler',
            key_checking: 'Vérification de la clé…',
            key_refused: 'Clé refusée (inconnue, annulée ou expirée) : '
                + 'vérifiez-la ou demandez-en une nouvelle.',
            key_unreachable: 'Serveur injoignable : la clé est enregistrée '
                + 'et sera vérifiée au retour du réseau.',
            key_required: 'Saisissez la clé.',
            change_key: 'Changer la clé',
            change_key_pending: 'Passages en attente d’envoi : {n}. '
                + 'Ils seront envoyés avec la nouvelle clé.',

            gate: 'Porte',
            site: 'Site',
            business_unit: 'Unité',
            gatekeeper: 'Gardien',
            online: 'En ligne',
            offline: 'Hors ligne',
            pending: 'En attente : {n}',
            pending_title: 'Passages enregistrés sur cet appareil et pas '
                + 'encore reçus par le serveur',

            shift_none: 'Aucun poste ouvert',
            shift_info: 'Poste n° {number} ouvert à {time}',
            shift_passages: 'Passages : {n}',
            shift_expected: 'Caisse attendue : {amount}',
            shift_open: 'Ouvrir le poste',
            shift_close: 'Clôturer le poste',
            shift_opened: 'Poste ouvert.',
            shift_closed: 'Poste clôturé.',
            shift_offline: 'Hors ligne : le poste ne peut être ouvert ou '
                + 'clôturé qu’avec le réseau.',
            shift_needed: 'Aucun poste ouvert : ouvrez votre poste avant '
                + 'd’encaisser.',
            close_title: 'Clôture du poste',
            declared_label: 'Montant compté en caisse ({currency})',
            note_label: 'Remarque (facultatif)',
            close_confirm: 'Clôturer',
            cancel: 'Annuler',
            ok: 'OK',
            expected: 'Attendu',
            declared: 'Déclaré',
            difference: 'Écart',
            amount_invalid: 'Saisissez un montant valide, par exemple '
                + '120,50.',

            identifier: 'Identifiant',
            kind_plate: 'Plaque',
            kind_badge: 'Badge',
            kind_cin: 'CIN',
            placeholder_plate: 'ex. 12345-أ\u200E-6',
            placeholder_badge: 'N° de badge',
            placeholder_cin: 'ex. BE123456',
            clear: 'Effacer',
            category: 'Catégorie de véhicule',
            category_none: '— Aucune —',
            direction: 'Sens',
            dir_in: 'Entrée',
            dir_out: 'Sortie',

            allowed: 'AUTORISÉ',
            refused: 'REFUSÉ',
            verdict_idle: 'Saisissez une plaque, un badge ou une CIN.',
            checking: 'Vérification…',
            fee_due: 'À payer : {amount}',
            no_fee: 'Rien à payer',
            local_verdict: 'Décision locale (hors ligne)',
            no_cache: 'Hors ligne et sans données locales : décision '
                + 'impossible. Le passage peut être enregistré, le serveur '
                + 'décidera.',
            check_error: 'Vérification impossible : {message}',
            record_in: 'Enregistrer l’entrée',
            record_out: 'Enregistrer la sortie',
            record_refusal_in: 'Enregistrer le refus (entrée)',
            record_refusal_out: 'Enregistrer le refus (sortie)',
            recorded_refusal: 'Refus enregistré : {id}',
            queued_refusal: 'Hors ligne : refus mis en attente ({id})',
            recognised: 'Reconnu : {kind}',
            recorded: 'Passage enregistré : {id}',
            queued: 'Hors ligne : passage mis en attente ({id})',

            passages_title: 'Passages du jour',
            no_passages: 'Aucun passage aujourd’hui.',
            status_pending: 'En attente d’envoi',
            status_rejected: 'Rejeté par le serveur',
            status_offline: 'Saisi hors ligne',
            acknowledge: 'Acquitter',
            exported_at: 'exporté à {time}',
            rejected_summary: 'Passages refusés par le serveur : {n}. Ils '
                + 'restent sur cette tablette, avec le droit encaissé, '
                + 'jusqu’à ce que vous les exportiez ou les acquittiez.',
            export_csv: 'Exporter (CSV)',
            export_json: 'Exporter (JSON)',
            acknowledge_exported: 'Acquitter les passages exportés ({n})',
            updated_at: 'Mis à jour à {time}',

            occupancy_title: 'Présents sur le site',
            occupancy_capacity: 'sur {capacity}',
            occupancy_stale: 'Dernière valeur connue',
            occupancy_none: 'Aucun',

            server_error: 'Erreur du serveur : nouvel essai automatique.',
            error: 'Erreur : {message}',
            hold_offline: 'Serveur injoignable.',
            hold_server: 'Le serveur est en erreur ({message}).',
            hold_busy: 'Le serveur demande d’attendre ({message}).',
            hold_key: 'La clé de ce poste est refusée : saisissez une clé '
                + 'valide.',
            hold_refused: 'Le serveur refuse ce poste : {message} '
                + 'Prévenez le bureau.',
            hold_kept: '{n} passages en attente restent sur cette '
                + 'tablette : rien n’est perdu, ils seront envoyés dès que '
                + 'le serveur les acceptera.',
            hold_kept_one: '1 passage en attente reste sur cette tablette : '
                + 'rien n’est perdu, il sera envoyé dès que le serveur '
                + 'l’acceptera.',
            hold_retry: 'Réessayer maintenant',

            // the server's wording (casa_access/locale/fr.po)
            reason_authorised: 'Autorisation valable',
            reason_open_site: 'Site ouvert au public',
            reason_blacklisted: 'Sur liste noire',
            reason_unknown: 'Aucune autorisation d\'accès',
            reason_expired: 'Autorisation d\'accès expirée',
            reason_not_yet_valid: 'Autorisation d\'accès pas encore valable',
            reason_outside_hours: 'Hors des horaires autorisés',
            reason_wrong_site: 'Non autorisé sur ce site',
            reason_wrong_direction: 'Cette porte n\'autorise pas le passage '
                + 'dans ce sens'
        },

        ar: {
            _name: 'العربية',
            _dir: 'rtl',
            _locale: 'ar-MA',
            app_title: 'مراقبة الدخول',
            language: 'اللغة',
            label_value: '{label}: {value}',

            key_title: 'مفتاح نقطة المراقبة',
            key_help: 'أدخل مفتاح التطبيق الذي سلّمه لك المسؤول. '
                + 'سيبقى محفوظاً على هذا الجهاز.',
            key_label: 'مفتاح التطبيق',
            key_submit: 'تأكيد',
            key_cancel: 'إلغاء',
            key_checking: 'جارٍ التحقق من المفتاح…',
            key_refused: 'المفتاح مرفوض (غير معروف أو ملغى أو منتهي '
                + 'الصلاحية): تحقّق منه أو اطلب مفتاحاً جديداً.',
            key_unreachable: 'تعذّر الاتصال بالخادم: حُفظ المفتاح '
                + 'وسيتم التحقق منه عند عودة الشبكة.',
            key_required: 'أدخل المفتاح.',
            change_key: 'تغيير المفتاح',
            change_key_pending: 'عمليات مرور في انتظار الإرسال: {n}. '
                + 'ستُرسَل بالمفتاح الجديد.',

            gate: 'البوابة',
            site: 'الموقع',
            business_unit: 'الوحدة',
            gatekeeper: 'الحارس',
            online: 'متصل',
            offline: 'غير متصل',
            pending: 'في الانتظار: {n}',
            pending_title: 'عمليات مرور سُجّلت على هذا الجهاز ولم يتسلّمها '
                + 'الخادم بعد',

            shift_none: 'لا توجد مناوبة مفتوحة',
            shift_info: 'المناوبة رقم {number} مفتوحة منذ {time}',
            shift_passages: 'عمليات المرور: {n}',
            shift_expected: 'المبلغ المنتظر في الصندوق: {amount}',
            shift_open: 'فتح المناوبة',
            shift_close: 'إغلاق المناوبة',
            shift_opened: 'تم فتح المناوبة.',
            shift_closed: 'تم إغلاق المناوبة.',
            shift_offline: 'غير متصل: لا يمكن فتح المناوبة أو إغلاقها '
                + 'إلا مع الشبكة.',
            shift_needed: 'لا توجد مناوبة مفتوحة: افتح مناوبتك قبل '
                + 'التحصيل.',
            close_title: 'إغلاق المناوبة',
            declared_label: 'المبلغ المعدود في الصندوق ({currency})',
            note_label: 'ملاحظة (اختياري)',
            close_confirm: 'إغلاق',
            cancel: 'إلغاء',
            ok: 'حسناً',
            expected: 'المنتظر',
            declared: 'المصرَّح به',
            difference: 'الفرق',
            amount_invalid: 'أدخل مبلغاً صحيحاً، مثلاً 120,50.',

            identifier: 'المعرِّف',
            kind_plate: 'لوحة الترقيم',
            kind_badge: 'الشارة',
            kind_cin: 'البطاقة الوطنية',
            placeholder_plate: '12345-أ\u200E-6',
            placeholder_badge: 'رقم الشارة',
            placeholder_cin: 'مثال: BE123456',
            clear: 'مسح',
            category: 'صنف المركبة',
            category_none: '— بدون —',
            direction: 'الاتجاه',
            dir_in: 'دخول',
            dir_out: 'خروج',

            allowed: 'مسموح',
            refused: 'مرفوض',
            verdict_idle: 'أدخل لوحة ترقيم أو شارة أو رقم البطاقة الوطنية.',
            checking: 'جارٍ التحقق…',
            fee_due: 'المبلغ المستحق: {amount}',
            no_fee: 'لا شيء للأداء',
            local_verdict: 'قرار محلي (غير متصل)',
            no_cache: 'غير متصل ولا توجد بيانات محلية: تعذّر اتخاذ القرار. '
                + 'يمكن تسجيل المرور وسيقرّر الخادم.',
            check_error: 'تعذّر التحقق: {message}',
            record_in: 'تسجيل المرور (دخول)',
            record_out: 'تسجيل المرور (خروج)',
            record_refusal_in: 'تسجيل الرفض (دخول)',
            record_refusal_out: 'تسجيل الرفض (خروج)',
            recorded_refusal: 'تم تسجيل الرفض: {id}',
            queued_refusal: 'غير متصل: الرفض في قائمة الانتظار ({id})',
            recognised: 'تم التعرف على: {kind}',
            recorded: 'تم تسجيل المرور: {id}',
            queued: 'غير متصل: المرور في قائمة الانتظار ({id})',

            passages_title: 'عمليات مرور اليوم',
            no_passages: 'لا توجد عمليات مرور اليوم.',
            status_pending: 'في انتظار الإرسال',
            status_rejected: 'رفضه الخادم',
            status_offline: 'سُجّل دون اتصال',
            acknowledge: 'تأكيد الاطلاع',
            exported_at: 'صُدِّر على الساعة {time}',
            rejected_summary: 'عمليات مرور رفضها الخادم: {n}. تبقى على هذا '
                + 'الجهاز، مع الرسوم المحصَّلة، إلى أن تصدّرها أو تؤكّد '
                + 'الاطلاع عليها.',
            export_csv: 'تصدير (CSV)',
            export_json: 'تصدير (JSON)',
            acknowledge_exported: 'تأكيد الاطلاع على المصدَّرة ({n})',
            updated_at: 'آخر تحديث على الساعة {time}',

            occupancy_title: 'الحاضرون في الموقع',
            occupancy_capacity: 'من أصل {capacity}',
            occupancy_stale: 'آخر قيمة معروفة',
            occupancy_none: 'لا أحد',

            server_error: 'خطأ في الخادم: ستُعاد المحاولة تلقائياً.',
            error: 'خطأ: {message}',
            hold_offline: 'تعذّر الاتصال بالخادم.',
            hold_server: 'خطأ في الخادم ({message}).',
            hold_busy: 'يطلب الخادم الانتظار ({message}).',
            hold_key: 'مفتاح هذا المركز مرفوض: أدخل مفتاحاً صالحاً.',
            hold_refused: 'يرفض الخادم هذا المركز: {message} '
                + 'أبلغ المكتب.',
            hold_kept: 'عمليات المرور المنتظرة ({n}) تبقى على هذا الجهاز: '
                + 'لن يضيع شيء، وستُرسَل حين يقبلها الخادم.',
            hold_kept_one: 'عملية المرور المنتظرة (1) تبقى على هذا الجهاز: '
                + 'لن يضيع شيء، وستُرسَل حين يقبلها الخادم.',
            hold_retry: 'إعادة المحاولة الآن',

            // the server's wording (casa_access/locale/ar.po)
            reason_authorised: 'رخصة ولوج سارية المفعول',
            reason_open_site: 'موقع مفتوح للعموم',
            reason_blacklisted: 'في القائمة السوداء',
            reason_unknown: 'لا توجد رخصة ولوج',
            reason_expired: 'رخصة الولوج منتهية الصلاحية',
            reason_not_yet_valid: 'رخصة الولوج لم تدخل حيز التنفيذ بعد',
            reason_outside_hours: 'خارج الأوقات المسموح بها',
            reason_wrong_site: 'غير مرخص له في هذا الموقع',
            reason_wrong_direction: 'هذه البوابة لا تسمح بالمرور في هذا '
                + 'الاتجاه'
        },

        en: {
            _name: 'English',
            _dir: 'ltr',
            _locale: 'en-GB',
            app_title: 'Access control',
            language: 'Language',
            label_value: '{label}: {value}',

            key_title: 'Checkpoint key',
            key_help: 'Enter the application key given by the administrator. '
                + 'It stays stored on this device.',
            key_label: 'Application key',
            key_submit: 'Confirm',
            key_cancel: 'Cancel',
            key_checking: 'Checking the key…',
            key_refused: 'Key refused (unknown, cancelled or expired): '
                + 'check it or ask for a new one.',
            key_unreachable: 'Server unreachable: the key is stored and will '
                + 'be checked when the network is back.',
            key_required: 'Enter the key.',
            change_key: 'Change key',
            change_key_pending: 'Passages waiting to be sent: {n}. '
                + 'They will be sent with the new key.',

            gate: 'Gate',
            site: 'Site',
            business_unit: 'Unit',
            gatekeeper: 'Gatekeeper',
            online: 'Online',
            offline: 'Offline',
            pending: 'Pending: {n}',
            pending_title: 'Passages recorded on this device and not yet '
                + 'received by the server',

            shift_none: 'No shift open',
            shift_info: 'Shift no. {number} opened at {time}',
            shift_passages: 'Passages: {n}',
            shift_expected: 'Expected cash: {amount}',
            shift_open: 'Open shift',
            shift_close: 'Close shift',
            shift_opened: 'Shift opened.',
            shift_closed: 'Shift closed.',
            shift_offline: 'Offline: a shift can only be opened or closed '
                + 'with the network.',
            shift_needed: 'No shift open: open your shift before collecting '
                + 'fees.',
            close_title: 'Closing the shift',
            declared_label: 'Cash counted ({currency})',
            note_label: 'Note (optional)',
            close_confirm: 'Close',
            cancel: 'Cancel',
            ok: 'OK',
            expected: 'Expected',
            declared: 'Declared',
            difference: 'Difference',
            amount_invalid: 'Enter a valid amount, for example 120.50.',

            identifier: 'Identifier',
            kind_plate: 'Plate',
            kind_badge: 'Badge',
            kind_cin: 'ID card',
            placeholder_plate: 'e.g. 12345-A-6',
            placeholder_badge: 'Badge number',
            placeholder_cin: 'e.g. BE123456',
            clear: 'Clear',
            category: 'Vehicle category',
            category_none: '— None —',
            direction: 'Direction',
            dir_in: 'In',
            dir_out: 'Out',

            allowed: 'ALLOWED',
            refused: 'REFUSED',
            verdict_idle: 'Enter a plate, a badge or an ID card number.',
            checking: 'Checking…',
            fee_due: 'To pay: {amount}',
            no_fee: 'Nothing to pay',
            local_verdict: 'Local decision (offline)',
            no_cache: 'Offline with no local data: no decision possible. '
                + 'The passage can be recorded; the server will decide.',
            check_error: 'Check failed: {message}',
            record_in: 'Record entry',
            record_out: 'Record exit',
            record_refusal_in: 'Record the refusal (entry)',
            record_refusal_out: 'Record the refusal (exit)',
            recorded_refusal: 'Refusal recorded: {id}',
            queued_refusal: 'Offline: refusal queued ({id})',
            recognised: 'Recognised: {kind}',
            recorded: 'Passage recorded: {id}',
            queued: 'Offline: passage queued ({id})',

            passages_title: 'Today’s passages',
            no_passages: 'No passage today.',
            status_pending: 'Waiting to be sent',
            status_rejected: 'Rejected by the server',
            status_offline: 'Recorded offline',
            acknowledge: 'Acknowledge',
            exported_at: 'exported at {time}',
            rejected_summary: 'Passages refused by the server: {n}. They '
                + 'stay on this tablet, with the fee collected, until you '
                + 'export or acknowledge them.',
            export_csv: 'Export (CSV)',
            export_json: 'Export (JSON)',
            acknowledge_exported: 'Acknowledge the exported passages ({n})',
            updated_at: 'Updated at {time}',

            occupancy_title: 'On site',
            occupancy_capacity: 'of {capacity}',
            occupancy_stale: 'Last known value',
            occupancy_none: 'Nobody',

            server_error: 'Server error: retrying automatically.',
            error: 'Error: {message}',
            hold_offline: 'Server unreachable.',
            hold_server: 'Server error ({message}).',
            hold_busy: 'The server asks to wait ({message}).',
            hold_key: 'The key of this kiosk is refused: enter a valid key.',
            hold_refused: 'The server refuses this kiosk: {message} '
                + 'Tell the office.',
            hold_kept: '{n} waiting passages stay on this tablet: nothing '
                + 'is lost, they will be sent as soon as the server accepts '
                + 'them.',
            hold_kept_one: '1 waiting passage stays on this tablet: nothing '
                + 'is lost, it will be sent as soon as the server accepts '
                + 'it.',
            hold_retry: 'Try again now',

            // the server's wording (casa_access/message.xml)
            reason_authorised: 'Authorised',
            reason_open_site: 'Site open to the public',
            reason_blacklisted: 'Blacklisted',
            reason_unknown: 'No authorisation',
            reason_expired: 'Authorisation expired',
            reason_not_yet_valid: 'Authorisation not yet valid',
            reason_outside_hours: 'Outside the authorised hours',
            reason_wrong_site: 'Not authorised on this site',
            reason_wrong_direction: 'This gate does not let pass this way'
        }
    };

    if (typeof module !== 'undefined' && module.exports) {
        module.exports = I18N;
    }
    if (root) {
        root.CASA_I18N = I18N;
    }
}(typeof window !== 'undefined' ? window
    : (typeof globalThis !== 'undefined' ? globalThis : this)));
