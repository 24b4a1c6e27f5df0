// Shared by the pdvault pages: language and translations, API calls, file
// downloads, a small DOM builder. Data from the API is only ever put in the
// page as text (textContent), never as HTML, except the notice (see privacy.js).

import { ERRORS, FIELDS, ERROR_STRINGS, AUDIT, MESSAGES, LINT_RULES } from '/i18n.js';

const STRINGS = { fr: {}, en: {} };
const listeners = [];
let lang = initialLang();

function initialLang() {
	const saved = localStorage.getItem('pdv-lang');
	if (saved === 'fr' || saved === 'en') return saved;
	return (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** Add a page's strings: {fr: {key: text}, en: {key: text}}. */
export function addStrings(d) {
	Object.assign(STRINGS.fr, d.fr);
	Object.assign(STRINGS.en, d.en);
}

/** The text for key in the current language; {name} in it is replaced from vars. */
export function t(key, vars = {}) {
	const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
	return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

export function getLang() { return lang; }

/** Switch language: re-translate the static text, then let the page re-render. */
export function setLang(l) {
	lang = l;
	localStorage.setItem('pdv-lang', l);
	applyStatic();
	listeners.forEach(fn => fn(l));
}

export function onLang(fn) { listeners.push(fn); }

/* Static text is marked in the HTML: data-i18n="key" sets the text,
   data-i18n-attr="attr:key;attr:key" sets attributes (aria-label, title...). */
export function applyStatic(root = document) {
	document.documentElement.lang = lang;
	root.querySelectorAll('[data-i18n]').forEach(n => { n.textContent = t(n.dataset.i18n); });
	root.querySelectorAll('[data-i18n-attr]').forEach(n => {
		for (const pair of n.dataset.i18nAttr.split(';')) {
			const [attr, key] = pair.split(':');
			n.setAttribute(attr, t(key));
		}
	});
	document.querySelectorAll('.lang button[data-lang]').forEach(b =>
		b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
	if (document.body.dataset.title) document.title = t(document.body.dataset.title);
}

/** Wire the language buttons and translate the page once. */
export function initLang() {
	document.querySelectorAll('.lang button[data-lang]').forEach(b =>
		b.addEventListener('click', () => setLang(b.dataset.lang)));
	applyStatic();
}

/** Call the API (with a bearer token, or the session cookie and its CSRF
    token). Returns {ok, status, data}; data is the parsed JSON body
    (for errors: {error: {code, message, field}}). Never throws. */
export async function api(path, { method = 'GET', body, token, csrf } = {}) {
	const headers = {};
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	if (token) headers.Authorization = 'Bearer ' + token;
	// a signed-in session (its cookie goes by itself): a change carries the CSRF token
	if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
	try {
		const r = await fetch(path, { method, headers, cache: 'no-store',
			body: body === undefined ? undefined : JSON.stringify(body) });
		let data = null;
		try { data = await r.json(); } catch { /* empty or not JSON */ }
		if (!r.ok && !(data && data.error))
			data = { error: { code: 'http_' + r.status, message: 'HTTP ' + r.status, field: null } };
		return { ok: r.ok, status: r.status, data };
	} catch {
		return { ok: false, status: 0, data: { error: { code: 'network', message: '', field: null } } };
	}
}

/** A readable, translated message for an API error: the page's strings may
    hold "err.CODE.FIELD" or "err.CODE" (worded for its context); otherwise
    the code's wording in i18n.js, with the field it names when a person can
    read that name. Never the server's own message: it is English, for
    operators, and may name flags. */
export function errorText(res) {
	const e = (res.data && res.data.error) || {};
	for (const key of [`err.${e.code}.${e.field}`, `err.${e.code}`])
		if (key in STRINGS[lang]) return t(key);
	const i = lang === 'fr' ? 0 : 1;
	if (!ERRORS[e.code]) return t('err.generic');
	const msg = ERRORS[e.code][i];
	const field = e.field && (FIELDS[e.field] ? FIELDS[e.field][i] : FIELD_NAMES[lang][e.field]);
	return field ? t('err.with.field', { msg: msg.replace(/\.$/, ''), field }) : msg;
}

/** An audit action (`holds-read`, `rectify`...) in words, from i18n.js; an
    action the table does not know yet is shown as it is rather than hidden. */
export function auditText(action) {
	return AUDIT[action] ? AUDIT[action][lang === 'fr' ? 0 : 1] : action;
}

/** An outbox message's kind (`acknowledgement`, `erasure`...) in words. */
export function messageText(kind) {
	return MESSAGES[kind] ? MESSAGES[kind][lang === 'fr' ? 0 : 1] : kind;
}

/** A lint rule's title (`retention-finite`...) in the page's language, from
    i18n.js; null for a rule the table does not know, so the page falls back
    on the linter's own message rather than showing an id. */
export function lintRuleTitle(rule) {
	return LINT_RULES[rule] ? LINT_RULES[rule][lang === 'fr' ? 0 : 1] : null;
}

/** Who an audit entry names, as a person reads it: an account by its name, a
    token as such, the person themself on the public pages, the command line. */
export function actorText(actor) {
	const [how, name] = (actor || '').split(/:(.*)/s);
	if (how === 'staff') return name;
	if (how === 'api' && name === 'public') return t('actor.public');
	if (how === 'api') return t('actor.token', { name });
	if (how === 'cli') return name ? t('actor.cli.named', { name }) : t('actor.cli');
	return actor || '';
}

/** Fetch path (with the token) and save it as a file: the name comes from
    Content-Disposition. Returns {ok, filename} or the failed api() result. */
export async function download(path, token) {
	let r;
	try {
		r = await fetch(path, { headers: token ? { Authorization: 'Bearer ' + token } : {},
			cache: 'no-store' });
	} catch {
		return { ok: false, status: 0, data: { error: { code: 'network', message: '' } } };
	}
	if (!r.ok) {
		let data = null;
		try { data = await r.json(); } catch { /* not JSON */ }
		return { ok: false, status: r.status, data: data || { error: { code: 'http_' + r.status } } };
	}
	const m = /filename="?([^";]+)"?/.exec(r.headers.get('Content-Disposition') || '');
	const filename = m ? m[1] : path.split('/').pop().split('?')[0];
	const url = URL.createObjectURL(await r.blob());
	const a = el('a', { href: url, download: filename, hidden: true });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60000);
	return { ok: true, filename };
}

/** el('p', {class: 'x', onclick: fn}, 'text', child...) */
export function el(tag, attrs = {}, ...children) {
	const n = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === undefined || v === null || v === false) continue;
		if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
		else if (k === 'text') n.textContent = v;
		else n.setAttribute(k, v === true ? '' : v);
	}
	for (const c of children.flat(Infinity))
		if (c !== undefined && c !== null && c !== false) n.append(c);
	return n;
}

/** Show a message in a status/alert paragraph; kind is ok, err or info. */
export function say(node, text, kind = 'info') {
	node.className = 'msg ' + kind;
	node.textContent = text || '';
}

/** "2026-11-23" or an ISO timestamp, as a date in the current language. */
export function fmtDate(s, withTime = false) {
	if (!s) return '';
	const d = new Date(s.length === 10 ? s + 'T00:00:00' : s);
	if (isNaN(d)) return s;
	return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB',
		withTime ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' }).format(d);
}

/** A field name such as "last_name" as a label, when no translation is known. */
const FIELD_NAMES = {
	fr: { last_name: 'Nom', first_name: 'Prénom', name: 'Nom', email: 'Adresse e-mail',
		phone: 'Téléphone', message: 'Message', company: 'Entreprise', need: 'Votre besoin',
		request: 'Votre demande', cv: 'CV', ip: 'Adresse IP', logs: 'Journaux' },
	en: { last_name: 'Last name', first_name: 'First name', name: 'Name', email: 'Email address',
		phone: 'Phone', message: 'Message', company: 'Company', need: 'Your need',
		request: 'Your request', cv: 'CV', ip: 'IP address', logs: 'Logs' },
};
export function fieldLabel(name) {
	const known = FIELD_NAMES[lang][name];
	if (known) return known;
	const s = name.replace(/[_-]+/g, ' ');
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The public pages' header carries whose pages they are: the controller's
    name and, when declared, its logo (served by the vault itself, /v1/logo),
    from GET /v1/activities, into the page's .controller element. */
export async function showController() {
	const box = document.querySelector('.controller');
	const res = box ? await api('/v1/activities') : null;
	const c = res && res.ok && res.data.controller;
	if (!c || (!c.name && !c.logo)) return;
	// the name follows the logo as text: the image itself says nothing more
	box.replaceChildren(c.logo ? el('img', { src: c.logo, alt: '', class: 'logo' }) : '',
		el('span', { text: c.name || '' }));
	box.hidden = false;
}

/* On a narrow screen a table is shown as a stack of cards, one per row,
   each cell under its column's name (style.css, table[data-stack]): every
   table with a header row gets its cells labelled, whoever built it. */
function labelTables(root) {
	for (const table of root.querySelectorAll('table')) {
		const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent);
		if (!heads.length) continue;
		table.dataset.stack = '';
		for (const tr of table.querySelectorAll('tbody tr'))
			[...tr.children].forEach((td, i) => {
				if (heads[i] && td.dataset.label !== heads[i]) td.dataset.label = heads[i];
			});
	}
}
if (typeof MutationObserver !== 'undefined' && document.body !== null) {
	new MutationObserver(() => labelTables(document.body))
		.observe(document.body, { childList: true, subtree: true, characterData: true });
}

/** The request kinds of POST /v1/requests, in the order offered. */
export const KINDS = ['access', 'rectification', 'erasure', 'restriction', 'objection',
	'portability', 'withdraw-consent', 'post-mortem', 'human-review'];

/* Strings shared by every page. */
addStrings(ERROR_STRINGS);
addStrings({
	fr: {
		'lang.group': 'Langue', 'err.generic': 'Une erreur est survenue.',
		'err.network': 'Le serveur ne répond pas. Réessayez dans un instant.',
		'err.rate_limited': 'Trop de demandes : réessayez dans une minute.',
		'err.invalid.email': 'Cette adresse e-mail n\u2019est pas valide.',
		'busy': 'Envoi en cours…',
		'actor.public': 'la personne (pages publiques)', 'actor.token': 'jeton d\u2019API « {name} »',
		'actor.cli': 'ligne de commande', 'actor.cli.named': 'ligne de commande ({name})',
		'kind.access': 'Accès à mes données (art. 15)',
		'kind.rectification': 'Rectification (art. 16)',
		'kind.erasure': 'Effacement (art. 17)',
		'kind.restriction': 'Limitation du traitement (art. 18)',
		'kind.objection': 'Opposition (art. 21)',
		'kind.portability': 'Portabilité (art. 20)',
		'kind.withdraw-consent': 'Retrait du consentement (art. 7(3))',
		'kind.post-mortem': 'Directives post mortem (loi Informatique et Libertés, art. 85)',
		'kind.human-review': 'Intervention humaine sur une décision automatisée (art. 22)',
	},
	en: {
		'lang.group': 'Language', 'err.generic': 'Something went wrong.',
		'err.network': 'The server does not answer. Try again in a moment.',
		'err.rate_limited': 'Too many requests: try again in a minute.',
		'err.invalid.email': 'This email address is not valid.',
		'busy': 'Sending…',
		'actor.public': 'the person (public pages)', 'actor.token': 'API token "{name}"',
		'actor.cli': 'command line', 'actor.cli.named': 'command line ({name})',
		'kind.access': 'Access to my data (Art. 15)',
		'kind.rectification': 'Rectification (Art. 16)',
		'kind.erasure': 'Erasure (Art. 17)',
		'kind.restriction': 'Restriction of processing (Art. 18)',
		'kind.objection': 'Objection (Art. 21)',
		'kind.portability': 'Portability (Art. 20)',
		'kind.withdraw-consent': 'Withdrawal of consent (Art. 7(3))',
		'kind.post-mortem': 'Post-mortem directives (French Data Protection Act, Art. 85)',
		'kind.human-review': 'Human review of an automated decision (Art. 22)',
	},
});
